package se.servicepunkt.booking;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import se.servicepunkt.page.Form;
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
  private final CheckIns checkIns;
  private final BookingPages flow;

  /**
   * @param checkIns check-in (the queue's), or {@link CheckIns#NONE}
   * @param flow     the booking pages, whose day and time pages moving a booking reuses
   */
  public ResidentPages(BookingService bookings, Pages pages, boolean demo, CheckIns checkIns, BookingPages flow) {
    this.bookings = bookings;
    this.pages = pages;
    this.demo = demo;
    this.checkIns = checkIns;
    this.flow = flow;
  }

  public void mount(Router root) {
    root.get("/manage/:reference").handler(this::manage);
    root.get("/manage/:reference/avboka").handler(this::confirmCancel);
    root.post("/manage/:reference/cancel").handler(pages.forms().sameOrigin()).handler(pages.forms().body())
        .handler(this::cancel);
    root.get("/manage/:reference/byt-tid").handler(this::moveDays);
    root.get("/manage/:reference/byt-tid/tid").handler(ctx -> moveTimes(ctx, null));
    root.post("/manage/:reference/byt-tid/tid").handler(pages.forms().sameOrigin()).handler(pages.forms().body())
        .handler(this::move);
    root.post("/manage/:reference/checka-in").handler(pages.forms().sameOrigin()).handler(pages.forms().body())
        .handler(this::checkIn);
    if (demo) {
      root.get("/video/:room").handler(this::video);
    }
  }

  private void manage(RoutingContext ctx) {
    String reference = ctx.pathParam("reference");
    String token = ctx.queryParams().get("token");
    bookings.authorised(reference, token == null ? "" : token, null)
        .onSuccess(booking -> page(ctx, 200, booking, token, ctx.queryParams().get("done"), null))
        .onFailure(e -> notFound(ctx));
  }

  /** "Do you want to cancel?": the booking and two answers, the button that cancels and a link that keeps it. */
  private void confirmCancel(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    bookings.authorised(ctx.pathParam("reference"), token == null ? "" : token, null).onSuccess(booking -> {
      if (!bookings.changeable(booking)) {
        Forms.seeOther(ctx, manageUrl(ctx, booking, token, null));
        return;
      }
      pages.lang(ctx, Lang.of(booking.language()));
      Page page = pages.page(ctx, "manage-cancel.html").personal();
      describe(page, booking);
      page.title(page.t("manage.cancelConfirm.title"))
          .put("token", token)
          .put("cancelUrl", "/manage/" + booking.reference() + "/cancel")
          .put("keepUrl", manageUrl(ctx, booking, token, null))
          .send();
    }).onFailure(e -> notFound(ctx));
  }

  /** Moving a booking: the same days as booking, for its point, service and channel. */
  private void moveDays(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    bookings.authorised(ctx.pathParam("reference"), token == null ? "" : token, null).onSuccess(booking -> {
      if (!bookings.changeable(booking)) {
        Forms.seeOther(ctx, manageUrl(ctx, booking, token, null));
        return;
      }
      pages.lang(ctx, Lang.of(booking.language()));
      Page page = pages.page(ctx, "book-days.html").personal();
      String base = "/manage/" + booking.reference() + "/byt-tid";
      flow.daysPage(page, booking.servicePointId(), booking.serviceId(), booking.channel(),
              BookingPages.date(ctx.queryParams().get("fran")),
              day -> page.link(base + "/tid?token=" + encode(token) + "&dag=" + day),
              from -> page.link(base + "?token=" + encode(token) + "&fran=" + from),
              service -> page.link("/manage/" + booking.reference() + "?token=" + encode(token)),
              page.t("manage.moveDay"))
          .onFailure(ctx::fail);
    }).onFailure(e -> notFound(ctx));
  }

  private void moveTimes(RoutingContext ctx, Form posted) {
    boolean post = posted != null;
    String token = post ? ctx.request().getFormAttribute("token") : ctx.queryParams().get("token");
    LocalDate day = BookingPages.date(post ? ctx.request().getFormAttribute("dag") : ctx.queryParams().get("dag"));
    bookings.authorised(ctx.pathParam("reference"), token == null ? "" : token, null).onSuccess(booking -> {
      if (!bookings.changeable(booking) || day == null) {
        Forms.seeOther(ctx, manageUrl(ctx, booking, token, null));
        return;
      }
      pages.lang(ctx, Lang.of(booking.language()));
      Page page = pages.page(ctx, "book-question.html").personal();
      String base = "/manage/" + booking.reference() + "/byt-tid";
      Form form = post ? posted : BookingPages.taken(ctx, page);
      flow.timesPage(page, form, 422, booking.servicePointId(), booking.serviceId(), booking.channel(), day,
              post ? posted.value("tid") : null,
              List.of(Map.of("name", "token", "value", token), Map.of("name", "dag", "value", day.toString())),
              base + "/tid", page.link(base + "?token=" + encode(token)))
          .onFailure(ctx::fail);
    }).onFailure(e -> notFound(ctx));
  }

  /** Moves the booking to the time chosen, or back to the day's times when it was taken meanwhile. */
  private void move(RoutingContext ctx) {
    Form form = Form.of(ctx);
    String token = form.value("token");
    OffsetDateTime start = BookingPages.instant(form.value("tid"));
    if (start == null) {
      form.error("tid", pages.messages().get(pages.lang(ctx), "book.time.error"));
      moveTimes(ctx, form);
      return;
    }
    bookings.authorised(ctx.pathParam("reference"), token, null).onSuccess(booking -> bookings
        .reschedule(booking, start, null)
        .onSuccess(moved -> Forms.seeOther(ctx, manageUrl(ctx, moved, token, "moved")))
        .onFailure(e -> {
          if (e instanceof Problem p && (p.status() == 409 || p.status() == 422) && bookings.changeable(booking)) {
            Forms.seeOther(ctx, pages.link(ctx, "/manage/" + booking.reference() + "/byt-tid/tid?token=" + encode(token)
                + "&dag=" + form.value("dag") + "&upptagen=1"));
          } else if (e instanceof Problem p && p.status() == 409) {
            page(ctx, 409, booking, token, null, null);
          } else {
            ctx.fail(e);
          }
        })).onFailure(e -> notFound(ctx));
  }

  /** Checks the booking in and opens the ticket page; says why not on the manage page when it cannot. */
  private void checkIn(RoutingContext ctx) {
    String reference = ctx.pathParam("reference");
    String token = ctx.request().getFormAttribute("token");
    bookings.authorised(reference, token == null ? "" : token, null).onSuccess(booking -> checkIns
        .checkIn(reference, token)
        .onSuccess(ticket -> Forms.seeOther(ctx, pages.link(ctx, "/t/" + ticket.id() + "?token=" + encode(ticket.token()))))
        .onFailure(e -> {
          if (e instanceof Problem p && p.status() == 409) {
            pages.lang(ctx, Lang.of(booking.language()));
            Page probe = pages.page(ctx, "manage.html");
            page(ctx, 409, booking, token, null, probe.t(p.getMessage() != null && p.getMessage().contains("already")
                ? "manage.checkIn.already" : "manage.checkIn.notNow"));
          } else {
            ctx.fail(e);
          }
        })).onFailure(e -> notFound(ctx));
  }

  private String manageUrl(RoutingContext ctx, Booking booking, String token, String done) {
    return pages.link(ctx, "/manage/" + booking.reference() + "?token=" + encode(token) + (done != null ? "&done=" + done : ""));
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
                .onSuccess(booking -> page(ctx, 409, booking, token, null, null))
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

  private void page(RoutingContext ctx, int status, Booking booking, String token, String done, String problem) {
    pages.lang(ctx, Lang.of(booking.language()));
    Page page = pages.page(ctx, "manage.html").status(status).personal();
    String notice = "cancelled".equals(done) && !booking.active() ? page.t("manage.cancelledNotice")
        : "moved".equals(done) && booking.active() ? page.t("manage.movedNotice") : null;
    describe(page, booking);
    page.title(page.t("manage.title"))
        .put("notice", notice)
        .put("problem", problem)
        .put("active", booking.active())
        .put("changeable", bookings.changeable(booking))
        .put("checkIn", checkIns.open(booking))
        .put("tooLate", page.format("manage.tooLate", booking.pointName()))
        .put("videoLink", bookings.meetingLink(booking))
        .put("token", token)
        .put("calendarUrl", "/api/v1/bookings/" + booking.reference() + "/calendar.ics?token=" + encode(token))
        .put("cancelUrl", page.link("/manage/" + booking.reference() + "/avboka?token=" + encode(token)))
        .put("moveUrl", page.link("/manage/" + booking.reference() + "/byt-tid?token=" + encode(token)))
        .put("checkInUrl", "/manage/" + booking.reference() + "/checka-in")
        .put("bookUrl", page.link("/boka"))
        .send();
  }

  /** What every page about a booking shows: the service, when, where, the reference. */
  private void describe(Page page, Booking booking) {
    Lang lang = page.lang();
    ZonedDateTime start = booking.start().atZoneSameInstant(booking.zone());
    ZonedDateTime end = booking.end().atZoneSameInstant(booking.zone());
    page.put("service", lang == Lang.EN ? booking.serviceNameEn() : booking.serviceNameSv())
        .put("point", booking.pointName())
        .put("address", booking.streetAddress())
        .put("desk", !booking.video())
        .put("video", booking.video())
        .put("when", Dates.dateWithYearTimeRange(start.toLocalDate(), start.toLocalTime(), end.toLocalTime(), lang))
        .put("reference", booking.reference());
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
