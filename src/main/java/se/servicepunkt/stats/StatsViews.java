package se.servicepunkt.stats;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import se.servicepunkt.page.Lang;
import se.servicepunkt.page.Messages;

/**
 * The dashboard's and the yearly report's figures as HTML with charts drawn as SVG on the server:
 * no script, no style attribute (colours come from classes in site.css, so the pages' CSP holds),
 * every chart an image with a title and a description and a table beside it with the same figures,
 * for screen readers, for copying and for print. Everything written is escaped.
 */
final class StatsViews {
  private static final int[] HEAT = {0, 5, 10, 15, 30};

  private final Messages messages;
  private final Lang lang;

  StatsViews(Messages messages, Lang lang) {
    this.messages = messages;
    this.lang = lang;
  }

  private String w(String key, Object... args) {
    return esc(messages.format(lang, "stats." + key, args));
  }

  static String esc(String text) {
    if (text == null) {
      return "";
    }
    var out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private String number(Object value) {
    if (value == null) {
      return "–";
    }
    if (value instanceof Double d) {
      String text = java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
      return lang == Lang.SV ? text.replace('.', ',') : text;
    }
    return String.valueOf(value);
  }

  private String percent(Object share) {
    if (share == null) {
      return "–";
    }
    long p = Math.round(((Number) share).doubleValue() * 100);
    return p + (lang == Lang.SV ? " %" : "%");
  }

  private String weekday(int isoDay) {
    return w("weekday." + isoDay);
  }

  // ---- the dashboard ----------------------------------------------------------------------

  /**
   * @param totals one row of totals
   * @param weeks rows by week and channel
   * @param hours rows by weekday and hour of day
   */
  String dashboard(JsonObject totals, JsonArray weeks, JsonArray hours) {
    var out = new StringBuilder();
    out.append("<section class=\"stats-section\" aria-labelledby=\"stats-key\"><h2 id=\"stats-key\">")
        .append(w("key.heading")).append("</h2>");
    keyFigures(out, totals);
    out.append("</section>");
    visitsByWeek(out, weeks);
    heatMap(out, hours, "wait", "waitMedianMinutes", r -> r.getValue("waitMedianMinutes"), false);
    heatMap(out, hours, "unmet", "unmetDemand", r -> r.getLong("unmetDemand", 0L) == 0 ? null : r.getLong("unmetDemand"),
        true);
    return out.toString();
  }

  private void keyFigures(StringBuilder out, JsonObject t) {
    out.append("<dl class=\"stats-key\">");
    item(out, "visits", number(t.getValue("visits")) + " (" + w("key.walkInBooked", number(t.getValue("visitsWalkIn")),
        number(t.getValue("visitsBooked"))) + ")");
    item(out, "waitMedian", minutes(t.getValue("waitMedianMinutes")));
    item(out, "waitP90", minutes(t.getValue("waitP90Minutes")));
    item(out, "withinTarget", percent(t.getValue("waitWithinTargetShare")));
    item(out, "serviceMedian", minutes(t.getValue("serviceMedianMinutes")));
    item(out, "noShows", number(t.getValue("noShowsBooked")) + " / " + number(t.getValue("noShowsCalled")));
    item(out, "bookings", number(t.getValue("bookingsMade")));
    item(out, "utilisation", percent(t.getValue("utilisation")));
    item(out, "unmet", number(t.getValue("unmetDemand")));
    out.append("</dl>");
  }

  private void item(StringBuilder out, String key, String value) {
    out.append("<div><dt>").append(w("key." + key)).append("</dt><dd>").append(value).append("</dd></div>");
  }

  private String minutes(Object value) {
    return value == null ? "–" : w("minutes", value);
  }

  /** Visits per ISO week, a bar per week split by channel, and the same as a table. */
  private void visitsByWeek(StringBuilder out, JsonArray rows) {
    var weeks = new TreeSet<String>();
    Map<String, long[]> byWeek = new LinkedHashMap<>();
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      String week = r.getString("week");
      weeks.add(week);
      long[] v = byWeek.computeIfAbsent(week, k -> new long[2]);
      v["video".equals(r.getString("channel")) ? 1 : 0] += r.getLong("visits", 0L);
    }
    out.append("<section class=\"stats-section\" aria-labelledby=\"stats-weeks\"><h2 id=\"stats-weeks\">")
        .append(w("weeks.heading")).append("</h2>");
    if (weeks.isEmpty()) {
      out.append("<p>").append(w("empty")).append("</p></section>");
      return;
    }
    long max = 1;
    for (long[] v : byWeek.values()) {
      max = Math.max(max, v[0] + v[1]);
    }
    int n = weeks.size();
    int barWidth = 24;
    int gap = 8;
    int left = 40;
    int height = 160;
    int width = left + n * (barWidth + gap) + gap;
    out.append("<div class=\"stats-chart\"><svg class=\"chart\" width=\"").append(width * 3 / 2).append("\" height=\"")
        .append((height + 40) * 3 / 2).append("\" viewBox=\"0 0 ").append(width).append(' ')
        .append(height + 40).append("\" role=\"img\" aria-labelledby=\"weeks-title weeks-desc\" focusable=\"false\">")
        .append("<title id=\"weeks-title\">").append(w("weeks.heading")).append("</title>")
        .append("<desc id=\"weeks-desc\">").append(w("weeks.desc", max)).append("</desc>");
    out.append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(height).append("\" x2=\"")
        .append(width).append("\" y2=\"").append(height).append("\"/>");
    out.append("<text class=\"tick\" x=\"").append(left - 4).append("\" y=\"12\" text-anchor=\"end\">").append(max)
        .append("</text><text class=\"tick\" x=\"").append(left - 4).append("\" y=\"").append(height)
        .append("\" text-anchor=\"end\">0</text>");
    int i = 0;
    for (String week : weeks) {
      long[] v = byWeek.get(week);
      int x = left + gap + i * (barWidth + gap);
      int deskHeight = (int) Math.round(v[0] * (height - 10.0) / max);
      int videoHeight = (int) Math.round(v[1] * (height - 10.0) / max);
      out.append("<rect class=\"bar-desk\" x=\"").append(x).append("\" y=\"").append(height - deskHeight)
          .append("\" width=\"").append(barWidth).append("\" height=\"").append(deskHeight).append("\"/>");
      out.append("<rect class=\"bar-video\" x=\"").append(x).append("\" y=\"").append(height - deskHeight - videoHeight)
          .append("\" width=\"").append(barWidth).append("\" height=\"").append(videoHeight).append("\"/>");
      if (n <= 20 || i % 2 == 0) {
        out.append("<text class=\"tick\" x=\"").append(x + barWidth / 2).append("\" y=\"").append(height + 16)
            .append("\" text-anchor=\"middle\">").append(esc(week.substring(week.indexOf('W') + 1))).append("</text>");
      }
      i++;
    }
    out.append("</svg>");
    out.append("<ul class=\"legend\"><li><span class=\"swatch swatch-desk\"></span>").append(w("channel.desk"))
        .append("</li><li><span class=\"swatch swatch-video\"></span>").append(w("channel.video")).append("</li></ul></div>");
    out.append("<div class=\"stats-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"weeks-caption\">")
        .append("<table class=\"stats-table\"><caption id=\"weeks-caption\">").append(w("weeks.caption")).append("</caption>")
        .append("<thead><tr><th scope=\"col\">").append(w("week")).append("</th><th scope=\"col\">")
        .append(w("channel.desk")).append("</th><th scope=\"col\">").append(w("channel.video"))
        .append("</th><th scope=\"col\">").append(w("total")).append("</th></tr></thead><tbody>");
    for (String week : weeks) {
      long[] v = byWeek.get(week);
      out.append("<tr><th scope=\"row\">").append(esc(week)).append("</th><td>").append(v[0]).append("</td><td>")
          .append(v[1]).append("</td><td>").append(v[0] + v[1]).append("</td></tr>");
    }
    out.append("</tbody></table></div></section>");
  }

  /**
   * A weekday × hour heat map of one figure, and the same as a table. {@code unmet}: the demand
   * heat map, where an hour with demand and no shift minutes is marked "nobody serves".
   */
  private void heatMap(StringBuilder out, JsonArray rows, String name, String field,
                       Function<JsonObject, Object> value, boolean unmet) {
    Map<String, JsonObject> cells = new LinkedHashMap<>();
    int first = 24;
    int last = -1;
    for (Object o : rows) {
      JsonObject r = (JsonObject) o;
      if (value.apply(r) == null) {
        continue;
      }
      int hour = r.getInteger("hourOfDay");
      first = Math.min(first, hour);
      last = Math.max(last, hour);
      cells.put(r.getInteger("weekday") + "/" + hour, r);
    }
    out.append("<section class=\"stats-section\" aria-labelledby=\"stats-").append(name).append("\"><h2 id=\"stats-")
        .append(name).append("\">").append(w(name + ".heading")).append("</h2><p class=\"hint\">")
        .append(w(name + ".hint")).append("</p>");
    if (last < 0) {
      out.append("<p>").append(w("empty")).append("</p></section>");
      return;
    }
    long max = 1;
    for (JsonObject r : cells.values()) {
      Object v = value.apply(r);
      max = Math.max(max, ((Number) v).longValue());
    }
    int cols = last - first + 1;
    int cell = 28;
    int left = 36;
    int top = 18;
    int width = left + cols * cell;
    int height = top + 7 * cell;
    out.append("<div class=\"stats-chart\"><svg class=\"chart heat\" width=\"").append(width * 3 / 2)
        .append("\" height=\"").append(height * 3 / 2).append("\" viewBox=\"0 0 ").append(width).append(' ')
        .append(height).append("\" role=\"img\" aria-labelledby=\"").append(name).append("-title ").append(name)
        .append("-desc\" focusable=\"false\"><title id=\"").append(name).append("-title\">").append(w(name + ".heading"))
        .append("</title><desc id=\"").append(name).append("-desc\">").append(w(name + ".desc", first, last + 1))
        .append("</desc>");
    for (int h = first; h <= last; h++) {
      out.append("<text class=\"tick\" x=\"").append(left + (h - first) * cell + cell / 2).append("\" y=\"12\" text-anchor=\"middle\">")
          .append(h).append("</text>");
    }
    for (int d = 1; d <= 7; d++) {
      int y = top + (d - 1) * cell;
      out.append("<text class=\"tick\" x=\"").append(left - 4).append("\" y=\"").append(y + cell / 2 + 4)
          .append("\" text-anchor=\"end\">").append(esc(messages.get(lang, "stats.weekdayShort." + d))).append("</text>");
      for (int h = first; h <= last; h++) {
        JsonObject r = cells.get(d + "/" + h);
        Object v = r == null ? null : value.apply(r);
        boolean nobody = unmet && r != null && r.getLong("shiftMinutes", 0L) == 0;
        String level = v == null ? "heat-none" : unmet ? "heat-" + Math.min(5, 1 + (int) (4 * ((Number) v).longValue() / max))
            : "heat-" + level(((Number) v).intValue());
        int x = left + (h - first) * cell;
        out.append("<rect class=\"").append(level).append(nobody ? " heat-nobody" : "").append("\" x=\"").append(x + 1)
            .append("\" y=\"").append(y + 1).append("\" width=\"").append(cell - 2).append("\" height=\"")
            .append(cell - 2).append("\"/>");
        if (v != null) {
          out.append("<text class=\"cell").append(level.equals("heat-5") || level.equals("heat-4") ? " cell-dark" : "")
              .append("\" x=\"").append(x + cell / 2).append("\" y=\"").append(y + cell / 2 + 4)
              .append("\" text-anchor=\"middle\">").append(v).append(nobody ? "*" : "").append("</text>");
        }
      }
    }
    out.append("</svg>");
    if (unmet) {
      out.append("<p class=\"hint\">").append(w("unmet.nobody")).append("</p>");
    }
    out.append("</div>");
    out.append("<div class=\"stats-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"").append(name)
        .append("-caption\"><table class=\"stats-table stats-heat-table\"><caption id=\"").append(name).append("-caption\">")
        .append(w(name + ".caption")).append("</caption><thead><tr><th scope=\"col\">").append(w("weekdayLabel"))
        .append("</th>");
    for (int h = first; h <= last; h++) {
      out.append("<th scope=\"col\">").append(w("hour", h)).append("</th>");
    }
    out.append("</tr></thead><tbody>");
    for (int d = 1; d <= 7; d++) {
      out.append("<tr><th scope=\"row\">").append(weekday(d)).append("</th>");
      for (int h = first; h <= last; h++) {
        JsonObject r = cells.get(d + "/" + h);
        Object v = r == null ? null : value.apply(r);
        boolean nobody = unmet && r != null && r.getLong("shiftMinutes", 0L) == 0;
        out.append("<td>").append(v == null ? "" : esc(String.valueOf(v)) + (nobody ? " " + w("unmet.nobodyShort") : ""))
            .append("</td>");
      }
      out.append("</tr>");
    }
    out.append("</tbody></table></div></section>");
  }

  private static int level(int minutes) {
    int level = 1;
    for (int i = 1; i < HEAT.length; i++) {
      if (minutes >= HEAT[i]) {
        level = i + 1;
      }
    }
    return level;
  }

  // ---- the yearly report ------------------------------------------------------------------

  /** The rows of the report's comparison: indicator, and whether it is a share, minutes or a count. */
  private static final List<String> REPORT = List.of("visits", "visitsWalkIn", "visitsBooked", "waitMedianMinutes",
      "waitP90Minutes", "waitWithinTargetShare", "serviceMedianMinutes", "noShowsBooked", "noShowsCalled",
      "unservedAtClosing", "leftQueue", "bookingsMade", "bookingsCancelledByResident", "bookingsCancelledByStaff",
      "bookingsRescheduled", "leadTimeMedianDays", "shiftMinutes", "bookedMinutes", "servedMinutes", "utilisation",
      "searches", "searchesWithoutResult", "slotsLost", "refusedClosed", "unmetDemand");

  /**
   * @param year totals of the year; {@code before} of the year before
   * @param months rows of the year by month; {@code monthsBefore} of the year before
   * @param services rows of the year by service
   */
  String report(String organisation, int year, JsonObject thisYear, JsonObject before, JsonArray months,
                JsonArray monthsBefore, JsonArray services) {
    var out = new StringBuilder();
    out.append("<section class=\"stats-section\" aria-labelledby=\"report-compare\"><h2 id=\"report-compare\">")
        .append(w("report.compare", year, year - 1)).append("</h2>");
    out.append("<div class=\"stats-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"compare-caption\">")
        .append("<table class=\"stats-table\"><caption id=\"compare-caption\">")
        .append(w("report.compareCaption", esc(organisation), year, year - 1)).append("</caption><thead><tr>")
        .append("<th scope=\"col\">").append(w("report.indicator")).append("</th><th scope=\"col\">").append(year)
        .append("</th><th scope=\"col\">").append(year - 1).append("</th><th scope=\"col\">").append(w("report.change"))
        .append("</th></tr></thead><tbody>");
    for (String name : REPORT) {
      Object now = thisYear.getValue(name);
      Object then = before.getValue(name);
      out.append("<tr><th scope=\"row\">").append(w("ind." + name)).append("</th><td>").append(show(name, now))
          .append("</td><td>").append(show(name, then)).append("</td><td>").append(change(name, now, then))
          .append("</td></tr>");
    }
    out.append("</tbody></table></div></section>");
    monthly(out, year, months, monthsBefore);
    out.append("<section class=\"stats-section\" aria-labelledby=\"report-services\"><h2 id=\"report-services\">")
        .append(w("report.services", year)).append("</h2>");
    out.append("<div class=\"stats-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"services-caption\">")
        .append("<table class=\"stats-table\"><caption id=\"services-caption\">").append(w("report.servicesCaption", year))
        .append("</caption><thead><tr><th scope=\"col\">").append(w("service")).append("</th>");
    List<String> columns = List.of("visits", "waitMedianMinutes", "waitWithinTargetShare", "noShowsBooked",
        "bookingsMade", "unmetDemand");
    for (String c : columns) {
      out.append("<th scope=\"col\">").append(w("ind." + c)).append("</th>");
    }
    out.append("</tr></thead><tbody>");
    for (Object o : services) {
      JsonObject r = (JsonObject) o;
      if (r.getString("serviceId") == null) {
        continue;
      }
      out.append("<tr><th scope=\"row\">")
          .append(esc(lang == Lang.EN ? r.getString("serviceNameEn") : r.getString("serviceNameSv"))).append("</th>");
      for (String c : columns) {
        out.append("<td>").append(show(c, r.getValue(c))).append("</td>");
      }
      out.append("</tr>");
    }
    out.append("</tbody></table></div></section>");
    return out.toString();
  }

  private String show(String name, Object value) {
    if (name.endsWith("Share") || name.equals("utilisation")) {
      return percent(value);
    }
    if (name.endsWith("Minutes") && !name.equals("shiftMinutes") && !name.equals("bookedMinutes")
        && !name.equals("servedMinutes")) {
      return minutes(value);
    }
    return number(value);
  }

  private String change(String name, Object now, Object then) {
    if (!(now instanceof Number a) || !(then instanceof Number b)) {
      return "–";
    }
    if (name.endsWith("Share") || name.equals("utilisation")) {
      long points = Math.round((a.doubleValue() - b.doubleValue()) * 100);
      return (points > 0 ? "+" : "") + points + " " + w("report.points");
    }
    if (b.doubleValue() == 0) {
      return "–";
    }
    long pct = Math.round((a.doubleValue() - b.doubleValue()) * 100 / b.doubleValue());
    return (pct > 0 ? "+" : "") + pct + (lang == Lang.SV ? " %" : "%");
  }

  /** Visits per month, this year beside the year before, and the same as a table. */
  private void monthly(StringBuilder out, int year, JsonArray months, JsonArray monthsBefore) {
    long[] now = new long[12];
    long[] then = new long[12];
    for (Object o : months) {
      JsonObject r = (JsonObject) o;
      now[Integer.parseInt(r.getString("month").substring(5)) - 1] += r.getLong("visits", 0L);
    }
    for (Object o : monthsBefore) {
      JsonObject r = (JsonObject) o;
      then[Integer.parseInt(r.getString("month").substring(5)) - 1] += r.getLong("visits", 0L);
    }
    long max = 1;
    for (int m = 0; m < 12; m++) {
      max = Math.max(max, Math.max(now[m], then[m]));
    }
    int left = 44;
    int group = 36;
    int height = 160;
    int width = left + 12 * group + 8;
    out.append("<section class=\"stats-section\" aria-labelledby=\"report-months\"><h2 id=\"report-months\">")
        .append(w("report.months", year, year - 1)).append("</h2>");
    out.append("<div class=\"stats-chart\"><svg class=\"chart\" width=\"").append(width * 3 / 2).append("\" height=\"")
        .append((height + 30) * 3 / 2).append("\" viewBox=\"0 0 ").append(width).append(' ')
        .append(height + 30).append("\" role=\"img\" aria-labelledby=\"months-title months-desc\" focusable=\"false\">")
        .append("<title id=\"months-title\">").append(w("report.months", year, year - 1)).append("</title>")
        .append("<desc id=\"months-desc\">").append(w("report.monthsDesc", max)).append("</desc>")
        .append("<line class=\"axis\" x1=\"").append(left).append("\" y1=\"").append(height).append("\" x2=\"")
        .append(width).append("\" y2=\"").append(height).append("\"/>")
        .append("<text class=\"tick\" x=\"").append(left - 4).append("\" y=\"12\" text-anchor=\"end\">").append(max)
        .append("</text>");
    for (int m = 0; m < 12; m++) {
      int x = left + 4 + m * group;
      int hb = (int) Math.round(then[m] * (height - 10.0) / max);
      int hn = (int) Math.round(now[m] * (height - 10.0) / max);
      out.append("<rect class=\"bar-before\" x=\"").append(x).append("\" y=\"").append(height - hb)
          .append("\" width=\"14\" height=\"").append(hb).append("\"/>");
      out.append("<rect class=\"bar-desk\" x=\"").append(x + 15).append("\" y=\"").append(height - hn)
          .append("\" width=\"14\" height=\"").append(hn).append("\"/>");
      out.append("<text class=\"tick\" x=\"").append(x + 15).append("\" y=\"").append(height + 16)
          .append("\" text-anchor=\"middle\">").append(esc(messages.get(lang, "stats.monthShort." + (m + 1))))
          .append("</text>");
    }
    out.append("</svg><ul class=\"legend\"><li><span class=\"swatch swatch-before\"></span>").append(year - 1)
        .append("</li><li><span class=\"swatch swatch-desk\"></span>").append(year).append("</li></ul></div>");
    out.append("<div class=\"stats-table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"months-caption\">")
        .append("<table class=\"stats-table\"><caption id=\"months-caption\">").append(w("report.monthsCaption"))
        .append("</caption><thead><tr><th scope=\"col\">").append(w("month")).append("</th><th scope=\"col\">")
        .append(year).append("</th><th scope=\"col\">").append(year - 1).append("</th></tr></thead><tbody>");
    for (int m = 0; m < 12; m++) {
      out.append("<tr><th scope=\"row\">").append(w("monthName." + (m + 1))).append("</th><td>").append(now[m])
          .append("</td><td>").append(then[m]).append("</td></tr>");
    }
    out.append("</tbody></table></div></section>");
  }

  /** The figures' JSON rows as a list (for the views' inputs). */
  static List<JsonObject> rows(JsonObject figures) {
    var list = new ArrayList<JsonObject>();
    figures.getJsonArray("rows").forEach(o -> list.add((JsonObject) o));
    return list;
  }
}
