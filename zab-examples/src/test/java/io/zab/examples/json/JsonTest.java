package io.zab.examples.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writeThenParseRoundTripsWithIntegersAsLongs() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "quote\" back\\ nl\n tab\t ctl\u0001 ü");
    m.put("n", Long.MAX_VALUE);
    m.put("small", 3L);
    m.put("b", true);
    m.put("null", null);
    m.put("list", Arrays.asList(1L, "x", null, List.of()));
    m.put("obj", Map.of("k", 2.5));
    String text = Json.write(m);
    assertThat(text).startsWith("{\"s\":");                   // keeps the map's order
    assertThat(Json.parseObject(text)).isEqualTo(m).containsEntry("small", 3L);
  }

  @Test
  void parsesWhitespaceAndEscapes() {
    assertThat(Json.parseObject(" { \"a\" : [ 1 , 2 ] , \"b\" : \"\\u0041\\/\" } "))
        .isEqualTo(Map.of("a", List.of(1L, 2L), "b", "A/"));
  }

  @Test
  void syntaxErrorsNameLineAndColumn() {
    assertThatThrownBy(() -> Json.parseObject("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad JSON at line 1, column 6: Unexpected character");
    assertThatThrownBy(() -> Json.parseObject("{\"a\": 1} x")).hasMessageStartingWith("bad JSON at line 1, column 10");
    assertThatThrownBy(() -> Json.parseObject("{\"a\": \"abc")).hasMessageStartingWith("bad JSON at line 1");
    assertThatThrownBy(() -> Json.parseObject("[]")).hasMessage("expected a JSON object, got: []");
  }
}
