package se.servicepunkt;

/** The server cannot start; the message is the one line the operator sees. */
public class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
