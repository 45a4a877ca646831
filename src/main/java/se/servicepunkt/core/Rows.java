package se.servicepunkt.core;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import se.servicepunkt.core.Problem;

/**
 * Small shapes of query results, the one place rows are collected: a list, exactly one row or
 * 404, at most one row, an update or delete that found its row.
 */
public final class Rows {
  private Rows() {
  }

  public static <T> Future<List<T>> list(Future<RowSet<T>> rows) {
    return rows.map(set -> {
      var list = new ArrayList<T>(set.size());
      set.forEach(list::add);
      return list;
    });
  }

  public static <T> Future<T> one(Future<RowSet<T>> rows, String what) {
    return rows.compose(set -> set.size() == 0
        ? Future.failedFuture(Problem.notFound(what))
        : Future.succeededFuture(set.iterator().next()));
  }

  /** The first row, or null when there is none. */
  public static <T> Future<T> optional(Future<RowSet<T>> rows) {
    return rows.map(set -> set.size() == 0 ? null : set.iterator().next());
  }

  public static Future<Void> changed(Future<RowSet<Row>> rows, String what) {
    return rows.compose(set -> set.rowCount() == 0
        ? Future.failedFuture(Problem.notFound(what))
        : Future.succeededFuture());
  }
}
