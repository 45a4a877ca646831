package se.servicepunkt.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the configuration in three layers, each overriding the one before: the packaged
 * defaults ({@code conf/servicepunkt.json}), an optional file given with {@code --config},
 * and the {@code SP_*} environment variables.
 */
public final class ConfigLoader {
  private static final String DEFAULTS = "/conf/servicepunkt.json";

  private ConfigLoader() {
  }

  public static AppConfig load(Path configFile, Map<String, String> env) {
    JsonObject merged = defaults();
    if (configFile != null) {
      merged.mergeIn(readFile(configFile));
    }
    for (String key : merged.fieldNames().toArray(String[]::new)) {
      String value = env.get(envName(key));
      if (value != null) {
        merged.put(key, value);
      }
    }
    return AppConfig.from(merged);
  }

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new ConfigException("the packaged defaults " + DEFAULTS + " are missing from the build");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigException("cannot read the packaged defaults: " + e.getMessage());
    }
  }

  private static JsonObject readFile(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException("configuration file " + file + " is not valid JSON");
    }
  }

  /** {@code httpPort} → {@code SP_HTTP_PORT}. */
  public static String envName(String key) {
    return "SP_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }
}
