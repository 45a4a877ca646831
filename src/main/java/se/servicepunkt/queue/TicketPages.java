package se.servicepunkt.queue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import se.servicepunkt.core.Problem;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.directory.OpeningCalendar;
import se.servicepunkt.directory.Service;
import se.servicepunkt.directory.ServicePoint;
import se.servicepunkt.page.Dates;
import se.servicepunkt.page.Form;
import se.servicepunkt.page.Forms;
import se.servicepunkt.page.Lang;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * The visitors' queue pages (issue 11, items 4 and 5): taking a ticket at a service point, one
 * question per page ({@code /service-points/ID/ticket}: the errand; {@code …/ticket/fortur}: a
 * priority reason, which sends the ticket), and the live ticket page {@code /t/ID?token=} (the QR
 * code's target) with leaving the queue behind a confirmation ({@code /t/ID/lamna}). Everything works
 * with JavaScript off (forms, POST-redirect-GET, a refresh link); {@code ticket-live.js} follows the
 * ticket's event stream and {@code ticket-take.js} adds the kiosk's behaviour.
 *
 * <p><b>Kiosk mode.</b> {@code ?kiosk=1} (remembered by the script in the browser's storage, and
 * carried in every link and form so that it also holds with JavaScript off) shows a fresh ticket with
 * its QR code and a print button, goes back to the start 20 seconds later after a warning, and never
 * leaves a visitor's ticket reachable for the next one.
 */
public final class TicketPages {
  static final String TAKE = "/service-points/%s/ticket";
  static final String PRIORITY = "/service-points/%s/ticket/fortur";
  private static final int DAYS_AHEAD = 30;

  private final Pool pool;
  private final Pages pages;
  private final Tickets tickets;
  private final Places places;
  private final DirectoryQueries directory;
  private final QueuePolicy policy;
  private final Clock clock;
  private final String baseUrl;
  private final int heartbeatSeconds;

  TicketPages(Pool pool, Pages pages, Tickets tickets, Places places, DirectoryQueries directory, QueuePolicy policy,
              Clock clock, String baseUrl, int heartbeatSeconds) {
    this.pool = pool;
    this.pages = pages;
    this.tickets = tickets;
    this.places = places;
    this.directory = directory;
    this.policy = policy;
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.heartbeatSeconds = heartbeatSeconds;
  }

  public void mount(Router root) {
    root.get("/service-points/:id/ticket").handler(this::chooseService);
    root.post("/service-points/:id/ticket").handler(pages.forms().sameOrigin()).handler(pages.forms().body())
        .handler(this::serviceChosen);
    root.get("/service-points/:id/ticket/fortur").handler(this::choosePriority);
    root.post("/service-points/:id/ticket/fortur").handler(pages.forms().sameOrigin()).handler(pages.forms().body())
        .handler(this::take);
    root.get("/t/:ticket").handler(this::ticket);
    root.get("/k/:code").handler(this::shortLink);
    root.get("/t/:ticket/lamna").handler(this::confirmLeave);
    root.post("/t/:ticket/lamna").handler(pages.forms().sameOrigin()).handler(pages.forms().body())
        .handler(this::leave);
  }

  // ---- taking a ticket ------------------------------------------------------------------------

  /** The point, its services met at the desk, and its calendar for the coming weeks. */
  private record Place(ServicePoint point, List<Service> services, OpeningCalendar calendar) {
  }

  private Future<Place> place(String id) {
    UUID pointId = uuid(id);
    if (pointId == null) {
      return Future.failedFuture(Problem.notFound("The service point"));
    }
    Instant now = clock.instant();
    return directory.point(pool, pointId).compose(point -> {
      LocalDate today = LocalDate.ofInstant(now, point.timeZone());
      return Future.all(directory.services(pool, pointId), directory.calendar(pool, point, today,
              today.plusDays(DAYS_AHEAD)))
          .map(all -> new Place(point, all.<List<Service>>resultAt(0).stream()
              .filter(s -> s.channels().contains("desk")).toList(), all.resultAt(1)));
    });
  }

  private void chooseService(RoutingContext ctx) {
    place(ctx.pathParam("id")).onSuccess(place -> servicePage(ctx, place, Form.empty(), 200)).onFailure(ctx::fail);
  }

  private void serviceChosen(RoutingContext ctx) {
    place(ctx.pathParam("id")).onSuccess(place -> {
      Form form = Form.of(ctx);
      Page page = pages.page(ctx, "ticket-service.html");
      String chosen = form.text("service");
      boolean known = chosen != null && place.services().stream().anyMatch(s -> s.id().toString().equals(chosen));
      if (!known) {
        form.error("service-" + (place.services().isEmpty() ? "" : place.services().get(0).id()),
            page.t("ticket.service.error"));
        servicePage(ctx, place, form, 400);
        return;
      }
      Forms.seeOther(ctx, page.link(String.format(PRIORITY, place.point().id()) + "?tjanst=" + chosen
          + (kiosk(ctx) ? "&kiosk=1" : "")));
    }).onFailure(ctx::fail);
  }

  private void servicePage(RoutingContext ctx, Place place, Form form, int status) {
    Page page = pages.page(ctx, "ticket-service.html").status(status).form(form).script("ticket-take.js");
    Lang lang = page.lang();
    Instant now = clock.instant();
    boolean open = place.calendar().openAt(now) != null;
    String chosen = form.value("service");
    var services = new ArrayList<Map<String, Object>>();
    for (Service s : place.services()) {
      var item = new LinkedHashMap<String, Object>();
      item.put("id", "service-" + s.id());
      item.put("value", s.id().toString());
      item.put("name", lang == Lang.EN ? s.nameEn() : s.nameSv());
      item.put("checked", s.id().toString().equals(chosen));
      services.add(item);
    }
    String error = form.errors().isEmpty() ? null : form.errors().get(0).text();
    page.title(open ? page.t("ticket.service.title") : page.format("ticket.closed.title", place.point().name()))
        .put("point", place.point().name())
        .put("open", open && !services.isEmpty())
        .put("noServices", open && services.isEmpty())
        .put("closedText", open ? null : nextOpening(page, place, now))
        .put("services", services)
        .put("error", error)
        .put("action", String.format(TAKE, place.point().id()))
        .put("kiosk", kiosk(ctx))
        .put("kioskStart", kiosk(ctx))
        .send();
  }

  /** "Öppnar i dag kl. 13.00", "Öppnar i morgon kl. 09.00", "Öppnar måndag 7 december kl. 09.00". */
  private String nextOpening(Page page, Place place, Instant now) {
    Lang lang = page.lang();
    LocalDate today = LocalDate.ofInstant(now, place.point().timeZone());
    var next = place.calendar().upcoming(now, today.plusDays(DAYS_AHEAD), 1);
    if (next.isEmpty()) {
      return page.t("ticket.closed.noOpening");
    }
    OpeningCalendar.Interval interval = next.get(0);
    String time = Dates.time(interval.opens(), lang);
    LocalDate date = interval.date();
    String stop = place.point().mobile() && interval.place() != null ? " " + page.format("ticket.closed.at",
        interval.place()) : "";
    if (date.equals(today)) {
      return page.format("ticket.closed.opensToday", time) + stop;
    }
    if (date.equals(today.plusDays(1))) {
      return page.format("ticket.closed.opensTomorrow", time) + stop;
    }
    return page.format("ticket.closed.opensOn", Dates.date(date, lang), time) + stop;
  }

  private void choosePriority(RoutingContext ctx) {
    place(ctx.pathParam("id")).onSuccess(place -> {
      Service service = service(place, ctx.queryParams().get("tjanst"));
      if (service == null) {
        Forms.seeOther(ctx, pages.page(ctx, "ticket-priority.html").link(String.format(TAKE, place.point().id())
            + (kiosk(ctx) ? "?kiosk=1" : "")));
        return;
      }
      priorityPage(ctx, place, service, Form.empty(), 200, UUID.randomUUID().toString());
    }).onFailure(ctx::fail);
  }

  private void take(RoutingContext ctx) {
    place(ctx.pathParam("id")).onSuccess(place -> {
      Form form = Form.of(ctx);
      Service service = service(place, form.text("tjanst"));
      Page page = pages.page(ctx, "ticket-priority.html");
      if (service == null) {
        Forms.seeOther(ctx, page.link(String.format(TAKE, place.point().id()) + (kiosk(ctx) ? "?kiosk=1" : "")));
        return;
      }
      String reason = form.text("fortur");
      String key = form.text("nyckel");
      boolean known = "ingen".equals(reason) || reason != null && policy.priorityReasons().contains(reason);
      if (!known || key == null || key.length() > 100) {
        form.error("fortur-ingen", page.t("ticket.priority.error"));
        priorityPage(ctx, place, service, form, 400, key != null && key.length() <= 100 ? key
            : UUID.randomUUID().toString());
        return;
      }
      tickets.take(new Tickets.Request(place.point().id(), service.id(), "desk", page.lang().code(),
              "ingen".equals(reason) ? null : reason, key))
          .onSuccess(issued -> Forms.seeOther(ctx, page.link("/t/" + issued.ticket().id() + "?token="
              + encode(issued.token()) + "&ny=1&kod=" + issued.shortCode() + (kiosk(ctx) ? "&kiosk=1" : ""))))
          .onFailure(failure -> {
            if (failure instanceof Problem problem && problem.status() == 409) {
              // closed meanwhile: the first page says when it opens
              Forms.seeOther(ctx, page.link(String.format(TAKE, place.point().id()) + (kiosk(ctx) ? "?kiosk=1" : "")));
            } else {
              ctx.fail(failure);
            }
          });
    }).onFailure(ctx::fail);
  }

  private void priorityPage(RoutingContext ctx, Place place, Service service, Form form, int status, String key) {
    // personal: no copy kept, so going back at a kiosk never sends this visitor's key again
    Page page = pages.page(ctx, "ticket-priority.html").status(status).form(form).personal().script("ticket-take.js");
    Lang lang = page.lang();
    String chosen = form.value("fortur");
    var reasons = new ArrayList<Map<String, Object>>();
    reasons.add(Map.of("id", "fortur-ingen", "value", "ingen", "label", page.t("ticket.priority.none"),
        "checked", "ingen".equals(chosen)));
    for (String reason : policy.priorityReasons()) {
      String label = pages.messages().keys(lang).contains("ticket.priority.reason." + reason)
          ? page.t("ticket.priority.reason." + reason) : reason;
      reasons.add(Map.of("id", "fortur-" + reason, "value", reason, "label", label, "checked", reason.equals(chosen)));
    }
    String kioskQuery = kiosk(ctx) ? "?kiosk=1" : "";
    page.title(page.t("ticket.priority.title"))
        .put("point", place.point().name())
        .put("service", lang == Lang.EN ? service.nameEn() : service.nameSv())
        .put("serviceId", service.id().toString())
        .put("reasons", reasons)
        .put("error", form.errors().isEmpty() ? null : form.errors().get(0).text())
        .put("key", key)
        .put("action", String.format(PRIORITY, place.point().id()))
        .put("back", page.link(String.format(TAKE, place.point().id()) + kioskQuery))
        .put("kiosk", kiosk(ctx))
        .put("kioskReset", kiosk(ctx) ? page.link(String.format(TAKE, place.point().id()) + kioskQuery) : null)
        .send();
  }

  // ---- the live ticket page -------------------------------------------------------------------

  private void ticket(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    String code = ctx.queryParams().get("kod");
    authorised(ctx, token).compose(ticket -> Future.all(places.status(ticket), directory.point(pool,
            ticket.servicePointId()), code == null ? Future.succeededFuture() : tickets.byShortCode(code))
        .map(all -> {
          Tickets.Issued shortLink = all.resultAt(2);
          boolean ours = shortLink != null && shortLink.ticket().id().equals(ticket.id());
          ticketPage(ctx, ticket, all.resultAt(0), all.resultAt(1), token, ours ? shortLink.shortCode() : null);
          return null;
        }))
        .onFailure(failure -> notFound(ctx));
  }

  /** {@code /k/CODE}: the short link (typed from a screen or a receipt) leads to the ticket's page. */
  private void shortLink(RoutingContext ctx) {
    Lang asked = Lang.parse(ctx.queryParams().get("lang"));
    tickets.byShortCode(ctx.pathParam("code")).onSuccess(issued -> {
      if (issued == null) {
        notFound(ctx);
        return;
      }
      Forms.seeOther(ctx, "/t/" + issued.ticket().id() + "?token=" + encode(issued.token()) + "&kod="
          + issued.shortCode() + (asked != null ? "&lang=" + asked.code() : ""));
    }).onFailure(failure -> notFound(ctx));
  }

  private void ticketPage(RoutingContext ctx, Ticket ticket, JsonObject state, ServicePoint point, String token,
                          String shortCode) {
    pages.lang(ctx, Lang.of(ticket.language()));
    boolean kiosk = kiosk(ctx);
    boolean fresh = "1".equals(ctx.queryParams().get("ny"));
    Page page = pages.page(ctx, "ticket.html").personal().script("ticket-live.js");
    if (kiosk) {
      page.script("ticket-take.js");
    }
    Lang lang = page.lang();
    String self = "/t/" + ticket.id() + "?token=" + encode(token);
    String followUrl = shortCode != null ? baseUrl + "/k/" + shortCode : baseUrl + self;
    String status = ticket.status();
    boolean waiting = Ticket.WAITING.equals(status);
    String kioskStart = page.link(String.format(TAKE, point.id()) + "?kiosk=1");
    ZonedDateTime now = clock.instant().atZone(ticket.zone());
    var words = new LinkedHashMap<String, String>();
    for (String key : List.of("position", "positionFirst", "wait", "waitUnknown", "turn", "turnVideo", "serving",
        "done", "noShow", "expired", "cancelled", "updated", "stale", "announcePosition", "videoWaiting",
        "waitingNoPosition", "soundIsOn", "waitSoon")) {
      words.put(key, page.t("ticket.live." + key));
    }
    page.title(page.format("ticket.live.title", ticket.number()))
        .put("number", ticket.number())
        .put("point", point.name())
        .put("service", lang == Lang.EN ? ticket.serviceNameEn() : ticket.serviceNameSv())
        .put("state", state.encode())
        .put("words", words.entrySet().stream().map(e -> Map.of("key", kebab(e.getKey()), "text", e.getValue()))
            .toList())
        .put("eventsUrl", "/api/v1/tickets/" + ticket.id() + "/events?token=" + encode(token))
        .put("heartbeatMs", heartbeatSeconds * 1000L)
        .put("zone", ticket.zone().getId())
        .put("waiting", waiting)
        .put("video", ticket.video())
        .put("stateText", stateText(page, ticket, state))
        .put("waitText", waiting ? waitText(page, state) : null)
        .put("turn", Ticket.CALLED.equals(status))
        .put("videoLink", state.getString("videoLink"))
        .put("updated", page.format("ticket.live.updated", Dates.time(now.toLocalTime(), lang)))
        .put("refreshUrl", page.link(self + (kiosk ? "&kiosk=1" : "")))
        .put("leaveUrl", waiting && !kiosk ? page.link("/t/" + ticket.id() + "/lamna?token=" + encode(token)) : null)
        .put("showQr", kiosk || fresh)
        .put("qr", kiosk || fresh ? QrCodes.svg(followUrl, page.format("ticket.qr.label", ticket.number())) : null)
        .put("followUrl", followUrl)
        .put("kiosk", kiosk)
        .put("kioskReset", kiosk ? kioskStart : null)
        .put("left", "1".equals(ctx.queryParams().get("lamnat")) && "cancelled".equals(status))
        .send();
  }

  /** The sentence the page shows (and the script rebuilds) for the ticket's state. */
  private static String stateText(Page page, Ticket ticket, JsonObject state) {
    return switch (ticket.status()) {
      case Ticket.WAITING -> {
        Integer position = state.getInteger("position");
        String text = position == null ? page.t("ticket.live.waitingNoPosition")
            : position == 1 ? page.t("ticket.live.positionFirst")
            : page.format("ticket.live.position", position);
        yield ticket.video() ? page.t("ticket.live.videoWaiting") + " " + text : text;
      }
      case Ticket.CALLED -> ticket.video() ? page.t("ticket.live.turnVideo")
          : page.format("ticket.live.turn", ticket.counterName());
      case Ticket.SERVING -> page.t("ticket.live.serving");
      case "done" -> page.t("ticket.live.done");
      case "no_show" -> page.t("ticket.live.noShow");
      case "expired" -> page.t("ticket.live.expired");
      default -> page.t("ticket.live.cancelled");
    };
  }

  private static String waitText(Page page, JsonObject state) {
    Integer minutes = state.getInteger("estimatedWaitMinutes");
    return minutes == null ? page.t("ticket.live.waitUnknown")
        : minutes == 0 ? page.t("ticket.live.waitSoon") : page.format("ticket.live.wait", minutes);
  }

  // ---- leaving the queue ----------------------------------------------------------------------

  private void confirmLeave(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    authorised(ctx, token).onSuccess(ticket -> {
      if (!Ticket.WAITING.equals(ticket.status())) {
        Forms.seeOther(ctx, pages.page(ctx, "ticket-leave.html").link("/t/" + ticket.id() + "?token=" + encode(token)));
        return;
      }
      pages.lang(ctx, Lang.of(ticket.language()));
      Page page = pages.page(ctx, "ticket-leave.html").personal();
      page.title(page.t("ticket.leave.title"))
          .put("number", ticket.number())
          .put("action", "/t/" + ticket.id() + "/lamna")
          .put("token", token)
          .put("back", page.link("/t/" + ticket.id() + "?token=" + encode(token)))
          .send();
    }).onFailure(failure -> notFound(ctx));
  }

  private void leave(RoutingContext ctx) {
    String token = ctx.request().getFormAttribute("token");
    authorised(ctx, token).compose(ticket -> tickets.leave(ticket)
            .recover(failure -> failure instanceof Problem p && p.status() == 409
                ? Future.succeededFuture(ticket) // called meanwhile: the ticket page says so
                : Future.failedFuture(failure)))
        .onSuccess(ticket -> Forms.seeOther(ctx, pages.page(ctx, "ticket.html").link("/t/" + ticket.id() + "?token="
            + encode(token) + "&lamnat=1")))
        .onFailure(failure -> notFound(ctx));
  }

  // ---- helpers --------------------------------------------------------------------------------

  private Future<Ticket> authorised(RoutingContext ctx, String token) {
    UUID id = uuid(ctx.pathParam("ticket"));
    if (id == null || token == null || token.isBlank()) {
      return Future.failedFuture(Problem.notFound(TicketRepository.TICKET));
    }
    return tickets.authorised(id, token, null);
  }

  /** A ticket that is not there, or a link without its token: the same page, which reveals nothing. */
  private void notFound(RoutingContext ctx) {
    Page page = pages.page(ctx, "error.html").status(404);
    page.title(page.t("ticket.notFound.title"))
        .put("heading", page.t("ticket.notFound.title"))
        .put("text", page.t("ticket.notFound.text"))
        .send();
  }

  private static Service service(Place place, String id) {
    return id == null ? null : place.services().stream().filter(s -> s.id().toString().equals(id)).findFirst()
        .orElse(null);
  }

  /** Kiosk mode: {@code kiosk=1} in the query or the form. */
  private static boolean kiosk(RoutingContext ctx) {
    if ("1".equals(ctx.queryParams().get("kiosk"))) {
      return true;
    }
    return ctx.request().isExpectMultipart() && "1".equals(ctx.request().getFormAttribute("kiosk"));
  }

  private static UUID uuid(String text) {
    try {
      return text == null ? null : UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
