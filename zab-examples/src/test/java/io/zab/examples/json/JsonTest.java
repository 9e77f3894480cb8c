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
  void writeThenParseRoundTrips() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "quote\" back\\ nl\n tab\t ctl\u0001 ü");
    m.put("n", Long.MAX_VALUE);
    m.put("neg", -3L);
    m.put("b", true);
    m.put("null", null);
    m.put("list", Arrays.asList(1L, "x", null, List.of()));
    m.put("obj", Map.of("k", 2.5));
    String text = Json.write(m);
    assertThat(Json.parseObject(text)).isEqualTo(m);
  }

  @Test
  void parsesWhitespaceAndEscapes() {
    assertThat(Json.parseObject(" { \"a\" : [ 1 , 2 ] , \"b\" : \"\\u0041\\/\" } "))
        .isEqualTo(Map.of("a", List.of(1L, 2L), "b", "A/"));
  }

  @Test
  void syntaxErrorsNameTheOffset() {
    assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).hasMessage("bad JSON at offset 5: expected ':'");
    assertThatThrownBy(() -> Json.parse("[1,2] x")).hasMessage("bad JSON at offset 6: trailing characters");
    assertThatThrownBy(() -> Json.parse("\"abc")).hasMessage("bad JSON at offset 4: unterminated string");
    assertThatThrownBy(() -> Json.parseObject("[]")).hasMessageContaining("expected a JSON object");
  }
}
