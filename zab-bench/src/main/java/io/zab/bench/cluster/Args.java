package io.zab.bench.cluster;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options of the benchmark mains; an unknown name is an error. */
public final class Args {

  private final Map<String, String> values = new HashMap<>();

  private Args() {}

  /** Parses {@code args}; every option name must be in {@code known}. */
  public static Args parse(String[] args, String... known) {
    Args parsed = new Args();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (!name.startsWith("--")) {
        throw new IllegalArgumentException("argument " + i + " '" + name + "' is not an --option");
      }
      String key = name.substring(2);
      if (!java.util.List.of(known).contains(key)) {
        throw new IllegalArgumentException(
            "unknown option '" + name + "'; known: --" + String.join(", --", known));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option '" + name + "' needs a value");
      }
      parsed.values.put(key, args[++i]);
    }
    return parsed;
  }

  public String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public String require(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("option --" + key + " is required");
    }
    return value;
  }

  public long getLong(String key, long fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option --" + key + " must be a number, got '" + value + "'", e);
    }
  }
}
