package se.servicepunkt.db;

import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;

/**
 * How the SQL client says that the database is not there (restarting, failing over, its machine
 * gone): a connection refused while opening one (a {@code ConnectException}), reset under a
 * statement ({@code SocketException: Connection reset}), or closed. The lobby's fault run
 * restarted PostgreSQL and these answered 500; they are a 503 to try again.
 * (A PostgreSQL error of class 08 or 57P, such as "the database system is shutting down", is
 * mapped by its SQLSTATE in {@code core.SqlStates}.)
 */
public final class DatabaseGone {
  private DatabaseGone() {
  }

  public static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketException || t instanceof ClosedConnectionException) {
        return true;
      }
    }
    return false;
  }
}
