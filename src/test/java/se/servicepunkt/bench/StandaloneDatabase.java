package se.servicepunkt.bench;

import java.nio.file.Path;
import java.util.Map;
import se.servicepunkt.db.EmbeddedDatabase;

/**
 * A PostgreSQL server for benchmarks, separate from the server under test: starts the embedded
 * PostgreSQL in the given folder, prints the {@code postgresql://} URI of its {@code servicepunkt}
 * database on one line, and runs until the process is stopped. It runs durable, as the server's
 * own embedded database does ({@code fsync=on}, {@code synchronous_commit=on},
 * {@code full_page_writes=on}): every commit waits for its flush to disk, so the benchmarks
 * measure what production runs, not the tests' settings. It loads {@code pg_stat_statements}, so a
 * benchmark can report what the database spent its time on ({@link StatementReport}).
 */
public final class StandaloneDatabase {
  private StandaloneDatabase() {
  }

  public static void main(String[] args) throws InterruptedException {
    var database = EmbeddedDatabase.start(Path.of(args.length > 0 ? args[0] : "target/bench-postgres"),
        EmbeddedDatabase.Durability.DURABLE, Map.of("shared_preload_libraries", "pg_stat_statements"));
    Runtime.getRuntime().addShutdownHook(new Thread(database::close));
    var o = database.connectOptions();
    System.out.println("postgresql://" + o.getUser() + ":" + o.getPassword() + "@" + o.getHost() + ":" + o.getPort()
        + "/" + o.getDatabase());
    System.out.flush();
    Thread.currentThread().join();
  }
}
