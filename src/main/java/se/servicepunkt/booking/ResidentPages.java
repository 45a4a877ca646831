package se.servicepunkt.booking;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Times;

/**
 * The pages the links in e-mails and calendar files open, rendered on the server without
 * JavaScript: {@code /manage/REFERENCE?token=} shows the booking in its language, with the
 * calendar file and (before the cut-off) a button that cancels it; in demo mode,
 * {@code /video/ROOM} stands in for a video platform.
 */
public final class ResidentPages {
  private final BookingService bookings;
  private final boolean demo;
  private final MustacheFactory templates = new DefaultMustacheFactory("pages");

  public ResidentPages(BookingService bookings, boolean demo) {
    this.bookings = bookings;
    this.demo = demo;
  }

  public void mount(Router root) {
    root.get("/manage/:reference").handler(this::manage);
    root.post("/manage/:reference/cancel").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::cancel);
    if (demo) {
      root.get("/video/:room").handler(this::video);
    }
  }

  private void manage(RoutingContext ctx) {
    String reference = ctx.pathParam("reference");
    String token = ctx.queryParams().get("token");
    bookings.authorised(reference, token == null ? "" : token, null)
        .onSuccess(booking -> page(ctx, 200, booking, token, notice(ctx, booking)))
        .onFailure(e -> notFound(ctx));
  }

  private void cancel(RoutingContext ctx) {
    String reference = ctx.pathParam("reference");
    String token = ctx.request().getFormAttribute("token");
    bookings.authorised(reference, token == null ? "" : token, null)
        .compose(booking -> bookings.cancel(booking, null))
        .onSuccess(booking -> ctx.response().setStatusCode(303)
            .putHeader("Location", "/manage/" + booking.reference() + "?token=" + encode(token) + "&done=cancelled")
            .end())
        .onFailure(e -> {
          if (e instanceof Problem problem && problem.status() == 409) {
            // already cancelled, or past the cut-off: the page itself says so in the booking's language
            bookings.authorised(reference, token, null)
                .onSuccess(booking -> page(ctx, 409, booking, token, null))
                .onFailure(x -> notFound(ctx));
          } else {
            notFound(ctx);
          }
        });
  }

  private void video(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    if (!room.matches("sp-[0-9a-f]{32}")) {
      notFound(ctx);
      return;
    }
    send(ctx, 200, "sv", "Videomöte (demo)", render("video-demo.html", Map.of("room", room)));
  }

  private static String notice(RoutingContext ctx, Booking booking) {
    if (!"cancelled".equals(ctx.queryParams().get("done"))) {
      return null;
    }
    return "en".equals(booking.language()) ? "Your booking is cancelled. A confirmation is on its way by e-mail."
        : "Din tid är avbokad. En bekräftelse kommer med e-post.";
  }

  private void page(RoutingContext ctx, int status, Booking booking, String token, String notice) {
    String lang = "en".equals(booking.language()) ? "en" : "sv";
    ZonedDateTime start = booking.start().atZoneSameInstant(booking.zone());
    ZonedDateTime end = booking.end().atZoneSameInstant(booking.zone());
    var scope = new HashMap<String, Object>();
    scope.put("notice", notice);
    scope.put("active", booking.active());
    scope.put("changeable", bookings.changeable(booking));
    scope.put("service", booking.serviceName());
    scope.put("point", booking.pointName());
    scope.put("address", booking.streetAddress());
    scope.put("desk", !booking.video());
    scope.put("video", booking.video());
    scope.put("videoLink", bookings.meetingLink(booking));
    scope.put("date", Times.longDate(start.toLocalDate(), lang));
    scope.put("time", Times.hhmm(start.toLocalTime()));
    scope.put("endTime", Times.hhmm(end.toLocalTime()));
    scope.put("reference", booking.reference());
    scope.put("token", token);
    scope.put("calendarUrl", "/api/v1/bookings/" + booking.reference() + "/calendar.ics?token=" + encode(token));
    scope.put("cancelUrl", "/manage/" + booking.reference() + "/cancel");
    send(ctx, status, lang, "en".equals(lang) ? "Your booking" : "Din bokning", render("manage." + lang + ".html", scope));
  }

  private void notFound(RoutingContext ctx) {
    send(ctx, 404, "sv", "Bokningen hittades inte", render("not-found.html", Map.of()));
  }

  private void send(RoutingContext ctx, int status, String lang, String title, String body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        .putHeader("X-Frame-Options", "DENY")
        .end(render("layout.html", Map.of("lang", lang, "title", title, "body", body)));
  }

  private String render(String template, Map<String, ?> scope) {
    var out = new StringWriter();
    templates.compile(template).execute(out, scope); // the factory keeps each compiled template
    return out.toString();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
