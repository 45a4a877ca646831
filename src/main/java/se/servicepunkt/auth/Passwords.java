package se.servicepunkt.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;

/**
 * Password hashing with bcrypt (salted, slow by a configurable cost; verification compares in
 * constant time). Hashing takes a good part of a second by design, so it runs on a worker
 * thread, never on the event loop.
 */
public final class Passwords {
  private final Vertx vertx;
  private final int cost;
  private Future<String> dummyHash;

  public Passwords(Vertx vertx, int cost) {
    this.vertx = vertx;
    this.cost = cost;
  }

  public String hashNow(String password) {
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  public Future<String> hash(String password) {
    return vertx.executeBlocking(() -> hashNow(password), false);
  }

  /**
   * Verifies a password against a stored hash; with no hash (unknown user) it verifies against a
   * dummy one so that the answer takes as long either way.
   */
  public Future<Boolean> verify(String password, String storedHash) {
    Future<String> hash = storedHash != null ? Future.succeededFuture(storedHash) : dummyHash();
    return hash.compose(h -> vertx.executeBlocking(() -> {
      boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
          h.getBytes(StandardCharsets.UTF_8)).verified;
      return ok && storedHash != null;
    }, false));
  }

  /** Made on first need rather than at start-up, where it would cost a bcrypt round. */
  private synchronized Future<String> dummyHash() {
    if (dummyHash == null) {
      dummyHash = hash("not-a-real-password-only-for-timing");
    }
    return dummyHash;
  }
}
