package io.zab.examples.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * The example's JSON, through Jackson: writes maps, lists, strings, numbers, booleans and null; parses objects
 * into ordered maps with integers as {@code Long}. A syntax error names the line and column.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses a JSON object.
   *
   * @throws IllegalArgumentException naming the line and column of a syntax error, or saying the text is not an object
   */
  public static Map<String, Object> parseObject(String text) {
    String t = text.strip();
    if (!t.startsWith("{")) {
      throw new IllegalArgumentException("expected a JSON object, got: " + abbreviate(t));
    }
    try {
      return MAPPER.readValue(t, OBJECT);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new IllegalArgumentException("bad JSON" + where + ": " + e.getOriginalMessage(), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
