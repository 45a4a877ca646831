package se.servicepunkt.db;

/** The database cannot be reached, started or migrated; stops the server with one line. */
public class DatabaseException extends RuntimeException {
  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
