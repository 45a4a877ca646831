package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Rows;
import se.servicepunkt.core.Secrets;

/**
 * Read-only tokens for reception screens: created (the token is shown once, only its hash is
 * kept) and revoked by an administrator of the point's host; revoking one ends its screens'
 * streams on every instance.
 */
final class DisplayTokens {
  static final String WHAT = "The display token";

  record DisplayToken(UUID id, UUID pointId, String name, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    static DisplayToken from(Row row) {
      return new DisplayToken(row.getUUID("id"), row.getUUID("service_point_id"), row.getString("name"),
          row.getOffsetDateTime("created_at"), row.getOffsetDateTime("revoked_at"));
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("servicePointId", pointId.toString()).put("name", name)
          .put("createdAt", createdAt.toString()).put("revokedAt", revokedAt == null ? null : revokedAt.toString());
    }
  }

  /** A new token, which only its creator sees, once. */
  record Created(DisplayToken record, String token) {
  }

  private static final String INSERT = """
      INSERT INTO display_token (service_point_id, name, token_hash, created_by) VALUES ($1, $2, $3, $4)
      RETURNING id, service_point_id, name, created_at, revoked_at""";
  private static final String LIST = """
      SELECT id, service_point_id, name, created_at, revoked_at FROM display_token WHERE service_point_id = $1
      ORDER BY created_at, id""";
  private static final String REVOKE = """
      UPDATE display_token SET revoked_at = now() WHERE id = $1 AND service_point_id = $2 AND revoked_at IS NULL
      RETURNING id, service_point_id, name, created_at, revoked_at""";
  private static final String ACTIVE = """
      SELECT id, service_point_id, name, created_at, revoked_at FROM display_token
      WHERE token_hash = $1 AND service_point_id = $2 AND revoked_at IS NULL""";

  private final Pool pool;
  private final QueueChanges changes;
  private final QueueAccess access;

  DisplayTokens(Pool pool, QueueChanges changes, QueueAccess access) {
    this.pool = pool;
    this.changes = changes;
    this.access = access;
  }

  Future<Created> create(UUID pointId, Caller caller, String name) {
    String token = Secrets.token();
    return access.adminPoint(pointId, caller)
        .compose(point -> Rows.one(pool.preparedQuery(INSERT).mapping(DisplayToken::from)
            .execute(Tuple.of(point.id(), name, Buffer.buffer(Secrets.sha256(token)), caller.staffId())), WHAT))
        .map(created -> new Created(created, token));
  }

  Future<List<DisplayToken>> list(UUID pointId, Caller caller) {
    return access.adminPoint(pointId, caller).compose(point -> list(pool, point.id()));
  }

  /** Revokes; 404 when there is no such token at the point, 409 when it is already revoked. */
  Future<Void> revoke(UUID pointId, UUID id, Caller caller) {
    return access.adminPoint(pointId, caller).compose(point -> changes.run(change ->
        Rows.optional(change.tx().preparedQuery(REVOKE).mapping(DisplayToken::from).execute(Tuple.of(id, point.id())))
            .compose(revoked -> revoked != null
                ? change.displayTokenRevoked(point.id(), revoked.id())
                : list(change.tx(), point.id()).compose(all -> all.stream().anyMatch(t -> t.id().equals(id))
                    ? Future.failedFuture(Problem.conflict("The display token is already revoked."))
                    : Future.failedFuture(Problem.notFound(WHAT))))));
  }

  /** The token's record if it is a valid, unrevoked token for the point; else 401. */
  Future<DisplayToken> check(UUID point, String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(Problem.unauthorized("A display token (?token=) is required."));
    }
    return Rows.optional(pool.preparedQuery(ACTIVE).mapping(DisplayToken::from)
            .execute(Tuple.of(Buffer.buffer(Secrets.sha256(token)), point)))
        .compose(found -> found != null
            ? Future.succeededFuture(found)
            : Future.failedFuture(Problem.unauthorized("The display token is not valid for this service point.")));
  }

  private static Future<List<DisplayToken>> list(SqlClient db, UUID point) {
    return Rows.list(db.preparedQuery(LIST).mapping(DisplayToken::from).execute(Tuple.of(point)));
  }
}
