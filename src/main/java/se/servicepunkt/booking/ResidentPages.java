package se.servicepunkt.booking;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import se.servicepunkt.core.Problem;
import se.servicepunkt.page.Dates;
import se.servicepunkt.page.Forms;
import se.servicepunkt.page.Lang;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * The pages the links in e-mails and calendar files open, rendered on the server without
 * JavaScript: {@code /manage/REFERENCE?token=} shows the booking (in its language unless
 * {@code ?lang=} asks for the other), with the calendar file and (before the cut-off) a button
 * that cancels it; in demo mode, {@code /video/ROOM} stands in for a video platform.
 */
public final class ResidentPages {
  private final BookingService bookings;
  private final Pages pages;
  private final boolean demo;

  public ResidentPages(BookingService bookings, Pages pages, boolean demo) {
    this.bookings = bookings;
    this.pages = pages;
    this.demo = demo;
  }

  public void mount(Router root) {
    root.get("/manage/:reference").handler(this::manage);
    root.post("/manage/:reference/cancel").handler(pages.forms().sameOrigin()).handler(pages.forms().body())
        .handler(this::cancel);
    if (demo) {
      root.get("/video/:room").handler(this::video);
    }
  }

  private void manage(RoutingContext ctx) {
    String reference = ctx.pathParam("reference");
    String token = ctx.queryParams().get("token");
    bookings.authorised(reference, token == null ? "" : token, null)
        .onSuccess(booking -> page(ctx, 200, booking, token, "cancelled".equals(ctx.queryParams().get("done"))))
        .onFailure(e -> notFound(ctx));
  }

  private void cancel(RoutingContext ctx) {
    String reference = ctx.pathParam("reference");
    String token = ctx.request().getFormAttribute("token");
    Lang asked = Lang.parse(ctx.request().getFormAttribute("lang"));
    bookings.authorised(reference, token == null ? "" : token, null)
        .compose(booking -> bookings.cancel(booking, null))
        .onSuccess(booking -> Forms.seeOther(ctx, "/manage/" + booking.reference() + "?token=" + encode(token)
            + "&done=cancelled" + (asked != null ? "&lang=" + asked.code() : "")))
        .onFailure(e -> {
          if (e instanceof Problem problem && problem.status() == 409) {
            // already cancelled, or past the cut-off: the page itself says so
            bookings.authorised(reference, token, null)
                .onSuccess(booking -> page(ctx, 409, booking, token, false))
                .onFailure(x -> notFound(ctx));
          } else {
            notFound(ctx);
          }
        });
  }

  private void video(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    if (!room.matches("sp-[0-9a-f]{32}")) {
      pages.notFound(ctx);
      return;
    }
    Page page = pages.page(ctx, "video-demo.html");
    page.title(page.t("videoDemo.title")).put("room", room).send();
  }

  private void page(RoutingContext ctx, int status, Booking booking, String token, boolean cancelledNow) {
    pages.lang(ctx, Lang.of(booking.language()));
    Page page = pages.page(ctx, "manage.html").status(status).personal();
    Lang lang = page.lang();
    ZonedDateTime start = booking.start().atZoneSameInstant(booking.zone());
    ZonedDateTime end = booking.end().atZoneSameInstant(booking.zone());
    page.title(page.t("manage.title"))
        .put("notice", cancelledNow && !booking.active() ? page.t("manage.cancelledNotice") : null)
        .put("active", booking.active())
        .put("changeable", bookings.changeable(booking))
        .put("tooLate", page.format("manage.tooLate", booking.pointName()))
        .put("service", lang == Lang.EN ? booking.serviceNameEn() : booking.serviceNameSv())
        .put("point", booking.pointName())
        .put("address", booking.streetAddress())
        .put("desk", !booking.video())
        .put("video", booking.video())
        .put("videoLink", bookings.meetingLink(booking))
        .put("when", Dates.dateWithYearTimeRange(start.toLocalDate(), start.toLocalTime(), end.toLocalTime(), lang))
        .put("reference", booking.reference())
        .put("token", token)
        .put("calendarUrl", "/api/v1/bookings/" + booking.reference() + "/calendar.ics?token=" + encode(token))
        .put("cancelUrl", "/manage/" + booking.reference() + "/cancel")
        .send();
  }

  private void notFound(RoutingContext ctx) {
    Page page = pages.page(ctx, "error.html").status(404);
    page.title(page.t("manage.notFound.title"))
        .put("heading", page.t("manage.notFound.title"))
        .put("text", page.t("manage.notFound.text"))
        .send();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
