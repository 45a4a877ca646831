package se.servicepunkt.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.core.Rows;
import se.servicepunkt.db.CountedCache;

/**
 * Whether a signed token still stands: its member of staff is active, with the roles and the
 * organisation the token names, and the token's session version is still theirs (signing out,
 * a new password, a change of roles or deactivation moves it: V13's trigger). Checked on every
 * request from answers kept while the {@code staff_access_change} counter stands still, so a
 * change made on any instance, or in the database by hand, takes effect at the next request.
 */
final class StaffAccess {
  private record Standing(boolean active, Set<String> roles, UUID organisationId, int sessionVersion) {
    static final Standing GONE = new Standing(false, Set.of(), null, -1);
  }

  private static final String STANDING = """
      SELECT active, roles, organisation_id, session_version FROM staff WHERE id = $1""";

  private final Pool pool;
  private final CountedCache standings = new CountedCache("staff_access_change", 50_000, 60_000);

  StaffAccess(Pool pool) {
    this.pool = pool;
  }

  /** Whether the caller's token, issued at {@code sessionVersion}, still stands. */
  Future<Boolean> stands(Caller caller, int sessionVersion) {
    return standings.version(pool)
        .compose(version -> standings.get(version, caller.staffId(), () -> Rows.optional(pool.preparedQuery(STANDING)
                .mapping(row -> new Standing(row.getBoolean("active"), Set.of(row.getArrayOfStrings("roles")),
                    row.getUUID("organisation_id"), row.getInteger("session_version")))
                .execute(Tuple.of(caller.staffId())))
            .map(found -> found == null ? Standing.GONE : found)))
        .map(standing -> standing.active() && standing.sessionVersion() == sessionVersion
            && standing.roles().equals(caller.roles())
            && java.util.Objects.equals(standing.organisationId(), caller.organisationId()));
  }

  /** The change counter now (with this instance's own changes): when it moves, a standing may have changed. */
  Future<CountedCache.Version> version() {
    return standings.version(pool);
  }

  /** This instance changed a member of staff's standing: nothing kept may answer for it again. */
  void changed() {
    standings.changed();
  }
}
