package se.servicepunkt.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.auth.Passwords;
import se.servicepunkt.config.AppConfig;

/**
 * What an empty database gets at start-up: the first system administrator (from
 * {@code SP_ADMIN_EMAIL} / {@code SP_ADMIN_PASSWORD}) and, in demo mode, the demo data. Runs under
 * an advisory lock so that two instances starting at once do it once.
 */
public final class Bootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);
  private static final long LOCK_KEY = 0x5e41ce70L;
  private static final String INSERT_SYSADMIN = """
      INSERT INTO staff (organisation_id, email, display_name, password_hash, roles)
      SELECT NULL, $1, 'System administrator', $2, ARRAY['sysadmin']
      WHERE NOT EXISTS (SELECT 1 FROM staff)""";

  private final Pool pool;
  private final Passwords passwords;

  public Bootstrap(Pool pool, Passwords passwords) {
    this.pool = pool;
    this.passwords = passwords;
  }

  public Future<Void> run(AppConfig config) {
    if (config.adminEmail() == null && !config.demo()) {
      return Future.succeededFuture();
    }
    Future<String> adminHash = config.adminEmail() == null
        ? Future.succeededFuture(null)
        : passwords.hash(config.adminPassword());
    var demo = new DemoData(passwords);
    return adminHash.compose(hash -> pool.withTransaction(tx ->
        tx.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
            .compose(v -> hash == null ? Future.succeededFuture() : createAdmin(tx, config.adminEmail(), hash))
            .compose(v -> config.demo() ? demo.seedIfEmpty(tx) : Future.succeededFuture())))
        .compose(v -> config.demo() ? demo.writeHistory(pool) : Future.succeededFuture());
  }

  private Future<Void> createAdmin(SqlConnection tx, String email, String hash) {
    return tx.preparedQuery(INSERT_SYSADMIN).execute(Tuple.of(email.toLowerCase(), hash))
        .map(rows -> {
          if (rows.rowCount() > 0) {
            LOG.info("Created the first system administrator from SP_ADMIN_EMAIL");
          }
          return null;
        });
  }
}
