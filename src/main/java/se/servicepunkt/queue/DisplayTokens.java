package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.core.Secrets;
import se.servicepunkt.core.Problem;

/** Read-only tokens for reception screens: stored as hashes, revoked by an administrator. */
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

  private static final String COLUMNS = "id, service_point_id, name, created_at, revoked_at";
  private static final String INSERT = "INSERT INTO display_token (service_point_id, name, token_hash, created_by)"
      + " VALUES ($1, $2, $3, $4) RETURNING " + COLUMNS;
  private static final String LIST = "SELECT " + COLUMNS + " FROM display_token WHERE service_point_id = $1"
      + " ORDER BY created_at, id";
  private static final String REVOKE = "UPDATE display_token SET revoked_at = now()"
      + " WHERE id = $1 AND service_point_id = $2 AND revoked_at IS NULL RETURNING " + COLUMNS;
  private static final String ACTIVE = "SELECT " + COLUMNS + " FROM display_token"
      + " WHERE token_hash = $1 AND service_point_id = $2 AND revoked_at IS NULL";

  Future<DisplayToken> create(SqlClient db, UUID point, String name, String token, UUID createdBy) {
    return db.preparedQuery(INSERT).mapping(DisplayToken::from)
        .execute(Tuple.of(point, name, Buffer.buffer(Secrets.sha256(token)), createdBy))
        .map(rows -> rows.iterator().next());
  }

  Future<List<DisplayToken>> list(SqlClient db, UUID point) {
    return db.preparedQuery(LIST).mapping(DisplayToken::from).execute(Tuple.of(point)).map(rows -> {
      var list = new ArrayList<DisplayToken>();
      rows.forEach(list::add);
      return list;
    });
  }

  /** Revokes; 404 when there is no such token at the point, 409 when it is already revoked. */
  Future<DisplayToken> revoke(SqlClient tx, UUID id, UUID point) {
    return tx.preparedQuery(REVOKE).mapping(DisplayToken::from).execute(Tuple.of(id, point)).compose(rows -> {
      if (rows.size() == 1) {
        return Future.succeededFuture(rows.iterator().next());
      }
      return list(tx, point).compose(all -> all.stream().anyMatch(t -> t.id().equals(id))
          ? Future.failedFuture(Problem.conflict("The display token is already revoked."))
          : Future.failedFuture(Problem.notFound(WHAT)));
    });
  }

  /** The token's record if it is a valid, unrevoked token for the point; else 401. */
  Future<DisplayToken> check(SqlClient db, UUID point, String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(Problem.unauthorized("A display token (?token=) is required."));
    }
    return db.preparedQuery(ACTIVE).mapping(DisplayToken::from)
        .execute(Tuple.of(Buffer.buffer(Secrets.sha256(token)), point))
        .compose(rows -> rows.size() == 1
            ? Future.succeededFuture(rows.iterator().next())
            : Future.failedFuture(Problem.unauthorized("The display token is not valid for this service point.")));
  }
}
