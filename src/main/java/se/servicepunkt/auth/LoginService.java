package se.servicepunkt.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.core.Problem;

/**
 * Staff sign-in: checks the password, counts failures per e-mail address (known or not, so the
 * answer never tells whether an account exists) and locks an address for a while after too
 * many failures. A password stored at another bcrypt cost than the configured one is stored
 * again at that cost on its first successful sign-in.
 */
public final class LoginService {
  private static final String FIND_LOCK = """
      SELECT locked_until FROM login_throttle WHERE email_key = $1 AND locked_until > now()""";
  private static final String FIND_STAFF = """
      SELECT id, organisation_id, password_hash, roles FROM staff
      WHERE lower(email) = $1 AND active""";
  private static final String RECORD_FAILURE = """
      INSERT INTO login_throttle (email_key, failures, first_failure) VALUES ($1, 1, now())
      ON CONFLICT (email_key) DO UPDATE SET
        failures = CASE WHEN login_throttle.first_failure < now() - make_interval(mins => $2)
                        THEN 1 ELSE login_throttle.failures + 1 END,
        first_failure = CASE WHEN login_throttle.first_failure < now() - make_interval(mins => $2)
                        THEN now() ELSE login_throttle.first_failure END,
        locked_until = NULL
      RETURNING failures""";
  private static final String LOCK = """
      UPDATE login_throttle SET locked_until = now() + make_interval(mins => $2) WHERE email_key = $1""";
  private static final String CLEAR = "DELETE FROM login_throttle WHERE email_key = $1";
  /** Stores a password hashed again at the configured cost, unless the password was changed meanwhile. */
  private static final String REHASH = """
      UPDATE staff SET password_hash = $3 WHERE id = $1 AND password_hash = $2""";

  public record Session(UUID staffId, UUID organisationId, Set<String> roles, String token, int expiresIn) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("accessToken", token)
          .put("tokenType", "Bearer")
          .put("expiresIn", expiresIn)
          .put("staffId", staffId.toString())
          .put("organisationId", organisationId == null ? null : organisationId.toString())
          .put("roles", roles.stream().sorted().toList());
    }
  }

  private final Pool pool;
  private final Passwords passwords;
  private final Tokens tokens;
  private final int maxFailures;
  private final int lockMinutes;

  public LoginService(Pool pool, Passwords passwords, Tokens tokens, int maxFailures, int lockMinutes) {
    this.pool = pool;
    this.passwords = passwords;
    this.tokens = tokens;
    this.maxFailures = maxFailures;
    this.lockMinutes = lockMinutes;
  }

  public Future<Session> login(String email, String password) {
    String key = emailKey(email);
    return pool.preparedQuery(FIND_LOCK).execute(Tuple.of(key))
        .compose(locked -> {
          if (locked.size() > 0) {
            OffsetDateTime until = locked.iterator().next().getOffsetDateTime(0);
            long seconds = Math.max(1, Duration.between(OffsetDateTime.now(), until).toSeconds());
            return Future.failedFuture(Problem.tooManyRequests(
                "Too many failed sign-ins for this address; try again later.", seconds));
          }
          return pool.preparedQuery(FIND_STAFF).execute(Tuple.of(email.toLowerCase()));
        })
        .compose(rows -> {
          Row row = rows.size() > 0 ? rows.iterator().next() : null;
          return passwords.check(password, row == null ? null : row.getString("password_hash"))
              .compose(check -> check.verified() ? succeed(key, row, check.rehashed()) : fail(key));
        });
  }

  private Future<Session> succeed(String key, Row row, String rehashed) {
    UUID staffId = row.getUUID("id");
    UUID organisationId = row.getUUID("organisation_id");
    Set<String> roles = Set.of(row.getArrayOfStrings("roles"));
    Future<?> stored = rehashed == null ? Future.succeededFuture()
        : pool.preparedQuery(REHASH).execute(Tuple.of(staffId, row.getString("password_hash"), rehashed));
    return stored.compose(v -> pool.preparedQuery(CLEAR).execute(Tuple.of(key)))
        .map(v -> new Session(staffId, organisationId, roles,
            tokens.issue(staffId, organisationId, roles), tokens.ttlSeconds()));
  }

  private Future<Session> fail(String key) {
    return pool.preparedQuery(RECORD_FAILURE).execute(Tuple.of(key, lockMinutes))
        .compose(rows -> rows.iterator().next().getInteger(0) >= maxFailures
            ? pool.preparedQuery(LOCK).execute(Tuple.of(key, lockMinutes)).mapEmpty()
            : Future.succeededFuture())
        .compose(v -> Future.failedFuture(Problem.unauthorized("Wrong e-mail address or password.")));
  }

  /** A hash of the address, so that the throttle table holds no e-mail addresses. */
  static String emailKey(String email) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(email.toLowerCase().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
