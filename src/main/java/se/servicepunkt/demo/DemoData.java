package se.servicepunkt.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import se.servicepunkt.auth.Passwords;

/** Demo data modelled on real Swedish service points. (Being written.) */
public final class DemoData {
  private final Passwords passwords;

  public DemoData(Passwords passwords) {
    this.passwords = passwords;
  }

  public Future<Void> seedIfEmpty(SqlConnection tx) {
    return Future.succeededFuture();
  }

  public static String signInsText() {
    return "";
  }

  Passwords passwords() {
    return passwords;
  }
}
