package se.servicepunkt.config;

/** A configuration problem that stops the server with one clear line. */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
