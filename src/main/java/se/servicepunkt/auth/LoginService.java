package se.servicepunkt.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import se.servicepunkt.core.Allowances;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Secrets;

/**
 * Staff sign-in. Failures are counted two ways, so that guessing is slow and nobody can lock a
 * member of staff out:
 * <ul>
 *   <li>per client address, in memory: after {@code failuresPerAddress} failures within
 *       {@code maxDelayMinutes} (refilled over that time) the address gets 429 until it may try
 *       again, whatever account it tries;</li>
 *   <li>per e-mail address (known or not, so the answer never tells whether an account exists;
 *       stored as a hash): after {@code maxFailures} failures, each further attempt must wait 1,
 *       2, 4 … seconds after the last failure, at most {@code maxDelayMinutes}; 429 until then.
 *       A device the account has signed in from before (it sends the {@code deviceToken} it got
 *       then) is not held up by that wait, and its failures do not add to it: a guesser elsewhere
 *       cannot keep the member of staff out of their own counter.</li>
 * </ul>
 * A sign-in from a new device that succeeds clears the account's count and gives the device a
 * token of its own. A password stored at another bcrypt cost than the configured one is stored
 * again at that cost on its first successful sign-in.
 */
public final class LoginService {
  private static final String THROTTLE = """
      SELECT failures, last_failure FROM login_throttle
      WHERE email_key = $1 AND last_failure > now() - make_interval(mins => $2)""";
  private static final String FIND_STAFF = """
      SELECT s.id, s.organisation_id, s.password_hash, s.roles, s.session_version,
        EXISTS (SELECT 1 FROM staff_device d WHERE d.staff_id = s.id AND d.token_hash = $2) AS known_device
      FROM staff s WHERE lower(s.email) = $1 AND s.active""";
  private static final String RECORD_FAILURE = """
      INSERT INTO login_throttle (email_key, failures, first_failure, last_failure) VALUES ($1, 1, now(), now())
      ON CONFLICT (email_key) DO UPDATE SET
        failures = CASE WHEN login_throttle.last_failure < now() - make_interval(mins => $2)
                        THEN 1 ELSE login_throttle.failures + 1 END,
        first_failure = CASE WHEN login_throttle.last_failure < now() - make_interval(mins => $2)
                        THEN now() ELSE login_throttle.first_failure END,
        last_failure = now()""";
  private static final String CLEAR = "DELETE FROM login_throttle WHERE email_key = $1";
  private static final String ADD_DEVICE = """
      INSERT INTO staff_device (staff_id, token_hash) VALUES ($1, $2)""";
  private static final String DEVICE_USED = """
      UPDATE staff_device SET last_used = now() WHERE staff_id = $1 AND token_hash = $2""";
  /**
   * Stores a password hashed again at the configured cost, unless the password was changed
   * meanwhile; a new hash moves the session version, so the token is issued at the new one.
   */
  private static final String REHASH = """
      UPDATE staff SET password_hash = $3 WHERE id = $1 AND password_hash = $2 RETURNING session_version""";
  private static final String PRUNE_THROTTLE = """
      DELETE FROM login_throttle WHERE last_failure < now() - make_interval(mins => $1)""";
  private static final String PRUNE_DEVICES = """
      DELETE FROM staff_device WHERE last_used < now() - make_interval(days => $1)""";
  /** Devices not used for this long are forgotten. */
  static final int DEVICE_DAYS = 180;

  /** A new device's token is given only once, with the session it signed in for. */
  public record Session(UUID staffId, UUID organisationId, Set<String> roles, String token, int expiresIn,
                        String deviceToken) {
    public JsonObject toJson() {
      var json = new JsonObject()
          .put("accessToken", token)
          .put("tokenType", "Bearer")
          .put("expiresIn", expiresIn)
          .put("staffId", staffId.toString())
          .put("organisationId", organisationId == null ? null : organisationId.toString())
          .put("roles", roles.stream().sorted().toList());
      if (deviceToken != null) {
        json.put("deviceToken", deviceToken);
      }
      return json;
    }
  }

  private final Pool pool;
  private final Passwords passwords;
  private final Tokens tokens;
  private final int maxFailures;
  private final int maxDelayMinutes;
  private final Allowances addresses;

  public LoginService(Pool pool, Passwords passwords, Tokens tokens, int maxFailures, int maxDelayMinutes,
                      int failuresPerAddress) {
    this.pool = pool;
    this.passwords = passwords;
    this.tokens = tokens;
    this.maxFailures = maxFailures;
    this.maxDelayMinutes = maxDelayMinutes;
    this.addresses = new Allowances(failuresPerAddress, Duration.ofMinutes(maxDelayMinutes), Duration.ofHours(1), 100_000);
  }

  /**
   * @param deviceToken the token the device got at an earlier sign-in, or null
   * @param address     the client's address (for the per-address count)
   */
  public Future<Session> login(String email, String password, String deviceToken, String address) {
    long seconds = addresses.waitFor(address);
    if (seconds > 0) {
      return Future.failedFuture(Problem.tooManyRequests(
          "Too many failed sign-ins from this address; try again in " + seconds + " s.", seconds));
    }
    String key = emailKey(email);
    byte[] device = deviceToken == null ? new byte[0] : Secrets.sha256(deviceToken);
    return Future.all(
            pool.preparedQuery(FIND_STAFF).execute(Tuple.of(email.toLowerCase(), Buffer.buffer(device))),
            pool.preparedQuery(THROTTLE).execute(Tuple.of(key, maxDelayMinutes)))
        .compose(both -> {
          RowSet<Row> staff = both.resultAt(0);
          RowSet<Row> throttle = both.resultAt(1);
          Row row = staff.size() > 0 ? staff.iterator().next() : null;
          boolean known = row != null && row.getBoolean("known_device");
          if (!known && throttle.size() > 0) {
            Row t = throttle.iterator().next();
            long wait = waitSeconds(t.getInteger("failures"), t.getOffsetDateTime("last_failure"));
            if (wait > 0) {
              return Future.failedFuture(Problem.tooManyRequests("Too many failed sign-ins for this account; "
                  + "try again in " + wait + " s, or from a device you have signed in from before.", wait));
            }
          }
          return passwords.check(password, row == null ? null : row.getString("password_hash"))
              .compose(check -> check.verified()
                  ? succeed(key, row, check.rehashed(), known, device)
                  : fail(key, known, address));
        });
  }

  /** Seconds still to wait after {@code failures}, the last at {@code last}: 0 below the limit, then 1, 2, 4 … */
  long waitSeconds(int failures, OffsetDateTime last) {
    if (failures < maxFailures) {
      return 0;
    }
    long delay = Math.min(TimeUnit.MINUTES.toSeconds(maxDelayMinutes), 1L << Math.min(30, failures - maxFailures));
    long waited = Duration.between(last.toInstant(), java.time.Instant.now()).toSeconds();
    return Math.max(0, delay - waited);
  }

  private Future<Session> succeed(String key, Row row, String rehashed, boolean known, byte[] device) {
    UUID staffId = row.getUUID("id");
    UUID organisationId = row.getUUID("organisation_id");
    Set<String> roles = Set.of(row.getArrayOfStrings("roles"));
    String newDevice = known ? null : Secrets.token();
    int sessionVersion = row.getInteger("session_version");
    Future<Integer> stored = rehashed == null ? Future.succeededFuture(sessionVersion)
        : pool.preparedQuery(REHASH).execute(Tuple.of(staffId, row.getString("password_hash"), rehashed))
            .map(rows -> rows.size() > 0 ? rows.iterator().next().getInteger(0) : sessionVersion);
    Future<?> remembered = known
        ? pool.preparedQuery(DEVICE_USED).execute(Tuple.of(staffId, Buffer.buffer(device)))
        : pool.preparedQuery(CLEAR).execute(Tuple.of(key))
            .compose(v -> pool.preparedQuery(ADD_DEVICE).execute(Tuple.of(staffId, Buffer.buffer(Secrets.sha256(newDevice)))));
    return Future.all(stored, remembered)
        .map(v -> new Session(staffId, organisationId, roles,
            tokens.issue(staffId, organisationId, roles, stored.result()), tokens.ttlSeconds(), newDevice));
  }

  private Future<Session> fail(String key, boolean knownDevice, String address) {
    addresses.spend(address);
    Future<?> counted = knownDevice ? Future.succeededFuture()
        : pool.preparedQuery(RECORD_FAILURE).execute(Tuple.of(key, maxDelayMinutes));
    return counted.compose(v -> Future.failedFuture(Problem.unauthorized("Wrong e-mail address or password.")));
  }

  /** A fresh token for a caller whose token still stands (checked by the route), at the same session version. */
  public Session refreshed(Caller caller, int sessionVersion) {
    return new Session(caller.staffId(), caller.organisationId(), caller.roles(),
        tokens.issue(caller.staffId(), caller.organisationId(), caller.roles(), sessionVersion), tokens.ttlSeconds(), null);
  }

  /** Forgets failures older than the longest wait and devices unused for {@value #DEVICE_DAYS} days. */
  public Future<Void> prune(SqlClient db) {
    return db.preparedQuery(PRUNE_THROTTLE).execute(Tuple.of(maxDelayMinutes))
        .compose(v -> db.preparedQuery(PRUNE_DEVICES).execute(Tuple.of(DEVICE_DAYS))).mapEmpty();
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
