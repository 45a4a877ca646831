package se.servicepunkt.stats;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures as CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads å, ä and ö
 * as such), semicolons between cells and decimal commas, which is what Excel expects under Swedish
 * settings, where the comma is the decimal sign and so the list separator is the semicolon; a
 * comma-separated file would open as one column there. Every other CSV reader takes the separator
 * as a parameter. Text cells are quoted; a leading = + - @ is neutralised so a cell is never run
 * as a formula.
 */
final class StatsCsv {
  private StatsCsv() {
  }

  /** The key and name columns of a grouping, in order. */
  static List<String> keyColumns(List<String> groupBy) {
    var columns = new ArrayList<String>();
    for (String group : StatsService.GROUPS) {
      if (!groupBy.contains(group)) {
        continue;
      }
      switch (group) {
        case "servicePoint" -> columns.addAll(List.of("servicePointId", "servicePointName"));
        case "service" -> columns.addAll(List.of("serviceId", "serviceNameSv", "serviceNameEn"));
        case "organisation" -> columns.addAll(List.of("organisationId", "organisationName"));
        default -> columns.add(group);
      }
    }
    return columns;
  }

  static String of(JsonObject figures) {
    List<String> groupBy = figures.getJsonArray("groupBy").stream().map(String::valueOf).toList();
    var columns = new ArrayList<>(keyColumns(groupBy));
    columns.addAll(Figures.NAMES);
    var out = new StringBuilder("\uFEFF");
    out.append(String.join(";", columns)).append("\r\n");
    for (Object item : figures.getJsonArray("rows")) {
      JsonObject row = (JsonObject) item;
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) {
          out.append(';');
        }
        out.append(cell(row.getValue(columns.get(i))));
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  private static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Double || value instanceof Float || value instanceof java.math.BigDecimal) {
      return java.math.BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString()
          .replace('.', ',');
    }
    if (value instanceof Number) {
      return value.toString();
    }
    String text = value.toString();
    String safe = text.matches("^[=+\\-@].*") ? "'" + text : text;
    return "\"" + safe.replace("\"", "\"\"") + "\"";
  }
}
