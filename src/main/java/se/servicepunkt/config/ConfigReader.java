package se.servicepunkt.config;

import io.vertx.core.json.JsonObject;

/** Typed, checked reads of single keys of a merged configuration. */
final class ConfigReader {
  private final JsonObject json;

  ConfigReader(JsonObject json) {
    this.json = json;
  }

  String string(String key, String fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? fallback : text;
  }

  int integer(String key, int min, int max) {
    Object value = json.getValue(key);
    int number;
    try {
      number = value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " (" + ConfigLoader.envName(key) + ") must be a whole number, not '" + value + "'");
    }
    if (number < min || number > max) {
      throw new ConfigException(key + " (" + ConfigLoader.envName(key) + ") must be between " + min + " and " + max);
    }
    return number;
  }

  boolean bool(String key) {
    Object value = json.getValue(key);
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    return switch (value.toString().trim().toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off", "" -> false;
      default -> throw new ConfigException(key + " (" + ConfigLoader.envName(key) + ") must be true or false");
    };
  }

  /** A list: a JSON array of strings, or (from the environment) a comma-separated string. */
  java.util.List<String> list(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return java.util.List.of();
    }
    java.util.stream.Stream<Object> items = value instanceof io.vertx.core.json.JsonArray array
        ? array.stream()
        : java.util.Arrays.stream(value.toString().split(",")).map(Object.class::cast);
    return items.map(item -> String.valueOf(item).trim()).filter(item -> !item.isEmpty()).distinct().toList();
  }
}
