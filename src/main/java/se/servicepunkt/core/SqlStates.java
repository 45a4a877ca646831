package se.servicepunkt.core;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one place PostgreSQL's SQLSTATEs become problems: for {@code recover}, a constraint that
 * the database enforced (a unique key, an exclusion constraint, a reference) turns into the
 * problem the feature names; any other failure passes through unchanged.
 */
public final class SqlStates {
  public static final String UNIQUE = "23505";
  public static final String EXCLUSION = "23P01";
  public static final String FOREIGN_KEY = "23503";
  public static final String DEADLOCK = "40P01";
  public static final String SERIALIZATION = "40001";
  /** The statement was cancelled, e.g. by {@code statement_timeout}. */
  public static final String QUERY_CANCELED = "57014";
  /** Seconds a client waits before it tries a statement that took too long again. */
  private static final long RETRY_AFTER_CANCEL_SECONDS = 2;

  private SqlStates() {
  }

  /**
   * What a constraint the feature did not name becomes (the failure handler's last word): a
   * conflict or a bad value with a general detail, a statement cut short by its timeout a 503
   * to try again; null for any other state, an internal error.
   */
  public static Problem fallback(String state) {
    return switch (state) {
      case UNIQUE -> Problem.conflict("That already exists.");
      case EXCLUSION -> Problem.conflict("That overlaps with something that already exists.");
      case FOREIGN_KEY -> Problem.conflict("That is still referred to by other data, or refers to something that does not exist.");
      case "23514", "22007", "22008", "22P02" -> Problem.badRequest("A value is out of range.");
      case DEADLOCK, SERIALIZATION -> Problem.conflict("Another change got in the way; nothing was changed. Please try again.");
      case QUERY_CANCELED -> Problem.unavailable("The server is busy and this took too long; nothing was changed. Please try again.",
          RETRY_AFTER_CANCEL_SECONDS);
      default -> state.startsWith("08") || state.startsWith("57P")
          ? unreachable() // a lost connection, or a database shutting down, restarting or starting up
          : null;
    };
  }

  /** The answer while the database cannot be reached (restarting, failing over): try again shortly. */
  public static Problem unreachable() {
    return Problem.unavailable("The database cannot be reached at this moment; please try again shortly.",
        RETRY_AFTER_CANCEL_SECONDS);
  }

  /** Whether {@code failure} is a PostgreSQL error with one of {@code states}. */
  public static boolean is(Throwable failure, Set<String> states) {
    return failure instanceof PgException pg && states.contains(pg.getSqlState());
  }

  /** For {@code recover}: an error with SQLSTATE {@code state} becomes {@code problem}. */
  public static <T> Function<Throwable, Future<T>> on(String state, Supplier<Problem> problem) {
    return failure -> Future.failedFuture(failure instanceof PgException pg && state.equals(pg.getSqlState())
        ? problem.get()
        : failure);
  }

  /** A unique key's violation becomes {@code problem}. */
  public static <T> Function<Throwable, Future<T>> uniqueViolation(Supplier<Problem> problem) {
    return on(UNIQUE, problem);
  }

  /** An exclusion constraint's violation (an overlap) becomes {@code problem}. */
  public static <T> Function<Throwable, Future<T>> exclusionViolation(Supplier<Problem> problem) {
    return on(EXCLUSION, problem);
  }

  /** A foreign key's violation (still referred to, or referring to nothing) becomes {@code problem}. */
  public static <T> Function<Throwable, Future<T>> foreignKeyViolation(Supplier<Problem> problem) {
    return on(FOREIGN_KEY, problem);
  }
}
