package se.servicepunkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * The authorisation matrix of the whole server, generated from the router: every route the real
 * router has (method and path: the API's, and the pages', operations' and static files' beside it),
 * called by every kind of caller, on the things of one organisation
 * ("B": its service point, services, staff, shifts, counters, a ticket, a booking), and each answer
 * put in its class: allowed (anything but 401, 403 and 404: the call got past who-may-do-what, even
 * if it then fails validation or conflicts), 401, 403 or 404. The expected class of each route and
 * caller is written down below; a route added to the router without a row here fails the test, as
 * does a row for a route that no longer exists.
 *
 * <p>Callers, in the order of the letters in each row: anonymous; B's staff, admin, manager and
 * reception (each with that one role); the system administrator; an administrator-and-staff of
 * another organisation ("other"); a deactivated member of B's staff; an unsigned ({@code alg:
 * none}) token naming a system administrator. Letters: {@code A} allowed, {@code U} 401,
 * {@code F} 403, {@code N} 404.
 *
 * <p>Routes that end what they act on get a new thing for every call (a new service to delete, a
 * new account to sign out), so every caller meets the same state; the others are repeated on the
 * same things, which only moves allowed answers between 2xx and 409.
 */
class RouteAuthorisationMatrixTest {
  enum Caller { ANONYMOUS, STAFF, ADMIN, MANAGER, RECEPTION, SYSADMIN, OTHER, DEACTIVATED, UNSIGNED }

  /** The expected class per caller, as a row of nine letters (spaces for reading only). */
  private static final Map<String, String> EXPECTED = new LinkedHashMap<>();

  private static void row(String route, String classes) {
    String letters = classes.replace(" ", "");
    if (letters.length() != Caller.values().length || !letters.matches("[AUFN]+")) {
      throw new IllegalArgumentException(route + ": " + classes);
    }
    if (EXPECTED.put(route, letters) != null) {
      throw new IllegalArgumentException("twice: " + route);
    }
  }

  static {
    //                                                              anon  staff admin manager reception | sysadmin other | deactivated unsigned
    // signing in is open; the rest is the caller's own sign-in
    row("GET /api/v1/auth/me", "U AAAA AA UU");
    row("POST /api/v1/auth/login", "A AAAA AA AA");
    row("POST /api/v1/auth/logout", "U AAAA AA UU");
    row("POST /api/v1/auth/password", "U AAAA AA UU");
    row("POST /api/v1/auth/refresh", "U AAAA AA UU");
    // public reads: residents' pages use them; a token changes nothing (not even a bad one)
    row("GET /api/v1/availability", "A AAAA AA AA");
    // the audit log: its organisation's admins and the system administrator
    row("GET /api/v1/audit", "U FAFF AF UU");
    // bookings: residents with the manage token (not a caller here: anonymous has only the reference), staff of
    // the booking's organisation in any role; other organisations 404 as if it did not exist. Lists are scoped.
    row("DELETE /api/v1/bookings/:reference", "U AAAA AN UU");
    row("GET /api/v1/bookings", "U AAAA AA UU");
    row("GET /api/v1/bookings/:reference", "U AAAA AN UU");
    row("GET /api/v1/bookings/:reference/calendar.ics", "U AAAA AN UU");
    row("POST /api/v1/bookings", "A AAAA AA UU");
    row("POST /api/v1/bookings/:reference/check-in", "U AAAA AN UU");
    row("POST /api/v1/bookings/:reference/reschedule", "U AAAA AN UU");
    // a counter's calls: only the member of staff holding its session (the system administrator too is refused)
    row("DELETE /api/v1/counters/:counter/session", "U AFFF FF UU");
    row("POST /api/v1/counters/:counter/call", "U AFFF FF UU");
    row("POST /api/v1/counters/:counter/call-next", "U AFFF FF UU");
    row("POST /api/v1/counters/:counter/pause", "U AFFF FF UU");
    row("POST /api/v1/counters/:counter/resume", "U AFFF FF UU");
    row("POST /api/v1/counters/:counter/session", "U AAAA AF UU");
    // organisations: created and deleted by the system administrator, renamed by their own admin
    row("DELETE /api/v1/organisations/:id", "U FFFF AF UU");
    row("GET /api/v1/organisations", "A AAAA AA AA");
    row("GET /api/v1/organisations/:id", "A AAAA AA AA");
    row("POST /api/v1/organisations", "U FFFF AF UU");
    row("PUT /api/v1/organisations/:id", "U FAFF AF UU");
    // GDPR requests: admins, scoped to their organisation's bookings (another's admin finds and erases nothing of B's)
    row("DELETE /api/v1/personal-data", "U FAFF AA UU");
    row("GET /api/v1/personal-data", "U FAFF AA UU");
    // service points and what belongs to them: written by the host's admin; the queue by staff serving there in any role
    row("DELETE /api/v1/service-points/:id", "U FAFF AF UU");
    row("DELETE /api/v1/service-points/:id/counters/:counterId", "U FAFF AF UU");
    row("DELETE /api/v1/service-points/:id/display-tokens/:token", "U FAFF AF UU");
    row("DELETE /api/v1/service-points/:id/opening-exceptions/:date", "U FAFF AF UU");
    row("DELETE /api/v1/service-points/:id/organisations/:organisationId", "U FAFF AF UU");
    row("DELETE /api/v1/service-points/:id/services/:serviceId", "U FAFF AF UU");
    row("DELETE /api/v1/service-points/:id/stops/:stopId", "U FAFF AF UU");
    row("GET /api/v1/service-points", "A AAAA AA AA");
    row("GET /api/v1/service-points/:id", "A AAAA AA AA");
    row("GET /api/v1/service-points/:id/counters", "A AAAA AA AA");
    row("GET /api/v1/service-points/:id/display-tokens", "U FAFF AF UU");
    row("GET /api/v1/service-points/:id/display/events", "U UUUU UU UU");
    row("GET /api/v1/service-points/:id/opening-exceptions", "A AAAA AA AA");
    row("GET /api/v1/service-points/:id/opening-hours", "A AAAA AA AA");
    row("GET /api/v1/service-points/:id/organisations", "A AAAA AA AA");
    row("GET /api/v1/service-points/:id/queue", "U AAAA AF UU");
    row("GET /api/v1/service-points/:id/todays-bookings", "U AAAA AF UU"); // staff serving there; names only to the service's organisation (TodaysBookingsTest)
    row("GET /api/v1/service-points/:id/queue/events", "U AAAA AF UU");
    row("GET /api/v1/service-points/:id/services", "A AAAA AA AA");
    row("GET /api/v1/service-points/:id/stops", "A AAAA AA AA");
    row("POST /api/v1/service-points", "U FAFF AA UU");
    row("POST /api/v1/service-points/:id/counters", "U FAFF AF UU");
    row("POST /api/v1/service-points/:id/display-tokens", "U FAFF AF UU");
    row("POST /api/v1/service-points/:id/stops", "U FAFF AF UU");
    row("POST /api/v1/service-points/:id/tickets", "A AAAA AA AA");
    row("PUT /api/v1/service-points/:id", "U FAFF AF UU");
    row("PUT /api/v1/service-points/:id/counters/:counterId", "U FAFF AF UU");
    row("PUT /api/v1/service-points/:id/opening-exceptions/:date", "U FAFF AF UU");
    row("PUT /api/v1/service-points/:id/opening-hours", "U FAFF AF UU");
    row("PUT /api/v1/service-points/:id/organisations/:organisationId", "U FAFF AF UU");
    // sharing a serving organisation's statistics with the host: that organisation's admins only, never the host's
    row("PUT /api/v1/service-points/:id/organisations/:organisationId/statistics-sharing", "U FFFF AF UU");
    row("PUT /api/v1/service-points/:id/services/:serviceId", "U FAFF AF UU");
    row("PUT /api/v1/service-points/:id/stops/:stopId", "U FAFF AF UU");
    // services: read by anyone, written by their organisation's admin
    row("DELETE /api/v1/services/:id", "U FAFF AF UU");
    row("GET /api/v1/services", "A AAAA AA AA");
    row("GET /api/v1/services/:id", "A AAAA AA AA");
    row("POST /api/v1/services", "U FAFF AF UU");
    row("PUT /api/v1/services/:id", "U FAFF AF UU");
    // shifts: a member of staff reads their own, admins their organisation's (lists scoped)
    row("DELETE /api/v1/shifts/:id", "U FAFF AF UU");
    row("GET /api/v1/shifts", "U AAAA AA UU");
    row("GET /api/v1/shifts/:id", "U AAFF AF UU");
    row("POST /api/v1/shifts", "U FAFF AF UU");
    row("POST /api/v1/shifts/batch", "U FAFF AF UU");
    row("PUT /api/v1/shifts/:id", "U FAFF AF UU");
    // statistics: managers and admins of an organisation read its own (another's admin its own too, never B's
    // report); staff and reception nothing (StatsIsolationTest and StatsSharingTest try every scope)
    row("GET /api/v1/stats", "U FAAF AA UU");
    row("GET /api/v1/stats/dashboard", "U FAAF AA UU");
    row("GET /api/v1/stats/report", "U FAAF AF UU");
    // staff accounts: their organisation's admin (another's admin lists only their own)
    row("DELETE /api/v1/staff/:id", "U FAFF AF UU");
    row("GET /api/v1/staff", "U FAFF AA UU");
    row("GET /api/v1/staff/:id", "U FAFF AF UU");
    row("POST /api/v1/staff", "U FAFF AF UU");
    row("PUT /api/v1/staff/:id", "U FAFF AF UU");
    row("PUT /api/v1/staff/:id/skills", "U FAFF AF UU");
    // tickets: the visitor with the token; staff of the ticket's organisation act on it (JointOperationTest covers
    // the shared point and reception); staff of an organisation not serving there get 404
    row("DELETE /api/v1/tickets/:ticket", "U AAAA AN UU");
    row("GET /api/v1/tickets/:ticket", "U AAAA AN UU");
    row("GET /api/v1/tickets/:ticket/events", "U AAAA AN UU");
    row("POST /api/v1/tickets/:ticket/finish", "U AAAA AF UU");
    row("POST /api/v1/tickets/:ticket/no-show", "U AAAA AF UU");
    row("POST /api/v1/tickets/:ticket/recall", "U AAAA AF UU");
    row("POST /api/v1/tickets/:ticket/return", "U AAAA AF UU");
    row("POST /api/v1/tickets/:ticket/start", "U AAAA AF UU");
    row("POST /api/v1/tickets/:ticket/transfer", "U AAAA AF UU");
    // operations: health and the API description open, metrics only with the metrics token (no staff token will do)
    row("GET /health/live", "A AAAA AA AA");
    row("GET /health/ready", "A AAAA AA AA");
    row("GET /metrics", "U UUUU UU UU");
    row("GET /openapi.yaml", "A AAAA AA AA");
    row("GET /static/:name", "A AAAA AA AA");
    // pages: the same for every caller (a page never reads a bearer token; staff pages call the API themselves);
    // a resident's manage pages and forms need the booking's token, a visitor's ticket page the ticket's: 404 without
    row("GET /", "A AAAA AA AA");
    row("GET /boka", "A AAAA AA AA");
    row("GET /boka/dag", "A AAAA AA AA");
    row("GET /boka/kanal", "A AAAA AA AA");
    row("GET /boka/klar/:reference", "N NNNN NN NN");
    row("GET /boka/kontrollera", "A AAAA AA AA");
    row("GET /boka/plats", "A AAAA AA AA");
    row("GET /boka/tid", "A AAAA AA AA");
    row("GET /boka/tjanst", "A AAAA AA AA");
    row("GET /boka/uppgifter", "A AAAA AA AA");
    row("GET /hitta-bokning", "A AAAA AA AA");
    row("GET /integritet", "A AAAA AA AA");
    row("GET /k/:code", "N NNNN NN NN");
    row("GET /manage/:reference", "N NNNN NN NN");
    row("GET /manage/:reference/avboka", "N NNNN NN NN");
    row("GET /manage/:reference/byt-tid", "N NNNN NN NN");
    row("GET /manage/:reference/byt-tid/tid", "N NNNN NN NN");
    row("GET /screen/:id", "A AAAA AA AA");
    row("GET /service-points/:id/ticket", "A AAAA AA AA");
    row("GET /service-points/:id/ticket/fortur", "A AAAA AA AA");
    row("GET /staff", "A AAAA AA AA");
    row("GET /staff/sign-in", "A AAAA AA AA");
    // the statistics pages are frames for anyone; their figures come from the API above with the caller's token
    row("GET /staff/stats", "A AAAA AA AA");
    row("GET /staff/stats/report", "A AAAA AA AA");
    row("GET /t/:ticket", "N NNNN NN NN");
    row("GET /t/:ticket/lamna", "N NNNN NN NN");
    row("GET /tillganglighet", "A AAAA AA AA");
    row("POST /boka/kanal", "A AAAA AA AA");
    row("POST /boka/kontrollera", "A AAAA AA UU"); // a clerk's booking with a token that no longer holds: 401, nothing booked
    row("POST /boka/plats", "A AAAA AA AA");
    row("POST /boka/tid", "A AAAA AA AA");
    row("POST /boka/tjanst", "A AAAA AA AA");
    row("POST /boka/uppgifter", "A AAAA AA AA");
    row("POST /hitta-bokning", "A AAAA AA AA");
    row("POST /manage/:reference/byt-tid/tid", "N NNNN NN NN");
    row("POST /manage/:reference/cancel", "N NNNN NN NN");
    row("POST /manage/:reference/checka-in", "N NNNN NN NN");
    row("POST /screen/:id", "A AAAA AA AA");
    row("POST /service-points/:id/ticket", "A AAAA AA AA");
    row("POST /service-points/:id/ticket/fortur", "A AAAA AA AA");
    row("POST /staff/sign-in", "A AAAA AA AA");
    row("POST /t/:ticket/lamna", "N NNNN NN NN");
  }

  private TestServer server;
  private Fixtures fx;
  private String orgB;
  private String adminB;
  private String point;
  private String unit;
  private String service;
  private String otherService;
  private String member;
  private String memberEmail;
  private String staffId;
  private String secondSlot;
  private String shift;
  private String counter;
  private String crudCounter;
  private String ticket;
  private String reference;
  private String manageToken;
  private String stop;
  private String thirdOrg;
  private LocalDate day;
  private final Map<Caller, String> tokens = new EnumMap<>(Caller.class);
  /** Days ahead for stops and exceptions made along the way, each on a day of its own. */
  private final java.util.concurrent.atomic.AtomicInteger days = new java.util.concurrent.atomic.AtomicInteger();

  @Test
  void everyRouteAnswersEveryCallerAsTheMatrixSays() {
    try (var server = TestServer.start(Map.of())) {
      this.server = server;
      this.fx = new Fixtures(server);
      setUp();
      var routes = routes(server.app());
      var missing = new ArrayList<String>();
      var stale = new TreeSet<>(EXPECTED.keySet());
      var wrong = new ArrayList<String>();
      var actualTable = new TreeMap<String, String>();
      for (String route : routes) {
        stale.remove(route);
        var actual = new StringBuilder();
        for (Caller caller : Caller.values()) {
          actual.append(classOf(call(route, caller)));
        }
        actualTable.put(route, actual.toString());
        String expected = EXPECTED.get(route);
        if (expected == null) {
          missing.add(route + " (answers " + actual + ")");
        } else if (!expected.contentEquals(actual)) {
          wrong.add(route + ": expected " + expected + ", got " + actual);
        }
      }
      if (!missing.isEmpty() || !wrong.isEmpty()) {
        var table = new StringBuilder();
        actualTable.forEach((route, classes) -> table.append("    row(\"").append(route).append("\", \"")
            .append(classes, 0, 1).append(' ').append(classes, 1, 5).append(' ').append(classes, 5, 7).append(' ')
            .append(classes, 7, 9).append("\");\n"));
        System.out.println("The router's routes as they answer now:\n" + table);
      }
      assertTrue(undeclared.isEmpty(), "answers openapi.yaml does not declare:\n" + String.join("\n", undeclared));
      assertTrue(missing.isEmpty(), "routes without a row in the matrix: " + missing);
      assertTrue(stale.isEmpty(), "rows for routes the router no longer has: " + stale);
      assertTrue(wrong.isEmpty(), "answers not as the matrix says:\n" + String.join("\n", wrong));
      assertTrue(routes.size() > 60, "the router's routes were found: " + routes.size());
      assertTrue(unchallenged.isEmpty(), "401 without WWW-Authenticate: Bearer: " + unchallenged);
      assertTrue(failed.isEmpty(), "server errors: " + failed);

      // where another organisation is allowed, it is to a list scoped to its own: none of B's things in it
      String other = tokens.get(Caller.OTHER);
      assertEquals(0, server.get("/api/v1/bookings?servicePoint=" + point, other).bodyAsJsonArray().size());
      assertEquals(0, server.get("/api/v1/shifts?staff=" + member, other).bodyAsJsonArray().size());
      assertEquals(0, server.get("/api/v1/personal-data?email=karin@matrix.example", other).bodyAsJsonArray().size());
      assertTrue(server.get("/api/v1/staff", other).bodyAsJsonArray().stream()
          .noneMatch(s -> orgB.equals(((JsonObject) s).getString("organisationId"))));
    }
  }

  /** Calls the server failed (5xx): whatever the caller, a route answers, it does not break. */
  private final List<String> failed = new ArrayList<>();

  /** 401 answers that did not say how to authenticate. */
  private final List<String> unchallenged = new ArrayList<>();

  /**
   * Every "METHOD /path" of the server's router: the API's (under {@code /api/v1}) and the pages',
   * operations' and static files' beside it; path parameters as the router names them.
   */
  static List<String> routes(AppContext app) {
    var found = new TreeSet<String>();
    for (Route mount : ApiRouter.create(app).getRoutes()) {
      if (mount.getSubRouter() != null) {
        for (Route route : mount.getSubRouter().getRoutes()) {
          add(found, ApiRouter.API, route);
        }
      } else {
        add(found, "", mount);
      }
    }
    return new ArrayList<>(found);
  }

  private static void add(TreeSet<String> found, String prefix, Route route) {
    if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
      return; // handlers for every request (headers, limits, bodies), not routes of their own
    }
    route.methods().forEach(method -> found.add(method.name() + " " + prefix + route.getPath()));
  }

  private static char classOf(int status) {
    return switch (status) {
      case 401 -> 'U';
      case 403 -> 'F';
      case 404 -> 'N';
      default -> 'A';
    };
  }

  // ---- the things of organisation B, and the callers -------------------------------------------

  private void setUp() {
    orgB = fx.organisation("Region Halland");
    String orgA = fx.organisation("Kungsbacka kommun");
    thirdOrg = fx.organisation("Polisen");
    adminB = fx.token(orgB, "admin");
    tokens.put(Caller.ADMIN, adminB);
    tokens.put(Caller.SYSADMIN, fx.sysadmin());
    tokens.put(Caller.OTHER, fx.token(orgA, "admin", "staff"));
    tokens.put(Caller.MANAGER, fx.token(orgB, "manager"));
    tokens.put(Caller.RECEPTION, fx.token(orgB, "reception"));

    point = fx.servicePoint(adminB, "Servicepunkt Falkenberg", "office");
    unit = fx.servicePoint(adminB, "Hälsobussen", "mobile");
    fx.openEveryDay(adminB, point, "00:00", "23:59");
    service = service("Hälsoval", "H");
    otherService = service("Tandvård", "T");
    offer(service);
    offer(otherService);

    String staffEmail = "staff-" + UUID.randomUUID() + "@matrix.example";
    fx.account(orgB, staffEmail, "staff");
    staffId = idOf(staffEmail);
    assertEquals(200, server.put("/api/v1/staff/" + staffId + "/skills", adminB,
        new JsonObject().put("serviceIds", new JsonArray().add(service))).statusCode());
    tokens.put(Caller.STAFF, server.signIn(staffEmail, TestServer.PASSWORD));

    String formerEmail = "former-" + UUID.randomUUID() + "@matrix.example";
    fx.account(orgB, formerEmail, "staff");
    tokens.put(Caller.DEACTIVATED, server.signIn(formerEmail, TestServer.PASSWORD));
    server.sql("UPDATE staff SET active = false WHERE email = $1", formerEmail);
    tokens.put(Caller.UNSIGNED, unsigned(staffId));

    memberEmail = "member-" + UUID.randomUUID() + "@matrix.example";
    fx.account(orgB, memberEmail, "staff");
    member = idOf(memberEmail);
    day = LocalDate.now(ZoneId.of("Europe/Stockholm")).plusDays(3);
    shift = created(server.post("/api/v1/shifts", adminB, shiftBody(staffId, "08:00", "16:00"))).getString("id");
    counter = created(server.post("/api/v1/service-points/" + point + "/counters", adminB,
        new JsonObject().put("name", "Disk 1"))).getString("id");
    crudCounter = created(server.post("/api/v1/service-points/" + point + "/counters", adminB,
        new JsonObject().put("name", "Disk 2"))).getString("id");
    assertEquals(200, server.post("/api/v1/counters/" + counter + "/session", tokens.get(Caller.STAFF), null).statusCode());
    ticket = created(server.post("/api/v1/service-points/" + point + "/tickets", null,
        new JsonObject().put("serviceId", service).put("channel", "desk"))).getString("id");
    var slots = server.get("/api/v1/availability?servicePoint=" + point + "&service=" + service + "&channel=desk&from="
        + day + "&to=" + day).bodyAsJsonObject().getJsonArray("slots");
    var booking = created(server.post("/api/v1/bookings", null, new JsonObject().put("servicePointId", point)
        .put("serviceId", service).put("channel", "desk").put("start", slots.getJsonObject(0).getString("start"))
        .put("name", "Karin Karlsson").put("email", "karin@matrix.example").put("language", "sv").put("consent", true)));
    reference = booking.getString("reference");
    secondSlot = slots.getJsonObject(1).getString("start");
    manageToken = booking.getString("manageToken");
    stop = newStop("10:00", "11:00");
  }

  private String service(String name, String letter) {
    return created(server.post("/api/v1/services", adminB, new JsonObject().put("nameSv", name).put("nameEn", name)
        .put("ticketLetter", letter).put("durationMinutes", 20).put("channels", new JsonArray().add("desk"))
        .put("minNoticeMinutes", 0))).getString("id");
  }

  private void offer(String serviceId) {
    assertEquals(204, server.put("/api/v1/service-points/" + point + "/services/" + serviceId, adminB, null).statusCode());
  }

  private String idOf(String email) {
    return server.sql("SELECT id::text FROM staff WHERE email = $1", email).iterator().next().getString(0);
  }

  private String newStaff() {
    String email = "member-" + UUID.randomUUID() + "@matrix.example";
    fx.account(orgB, email, "staff");
    return idOf(email);
  }

  private JsonObject shiftBody(String staffId, String from, String to) {
    ZoneId zone = ZoneId.of("Europe/Stockholm");
    return new JsonObject().put("staffId", staffId).put("servicePointId", point).put("channel", "desk")
        .put("start", day.atTime(java.time.LocalTime.parse(from)).atZone(zone).toOffsetDateTime().toString())
        .put("end", day.atTime(java.time.LocalTime.parse(to)).atZone(zone).toOffsetDateTime().toString());
  }

  private String newStop(String opens, String closes) {
    var stopDay = LocalDate.now(ZoneId.of("Europe/Stockholm")).plusDays(10 + days.incrementAndGet());
    return created(server.post("/api/v1/service-points/" + unit + "/stops", adminB, new JsonObject()
        .put("date", stopDay.toString()).put("opens", opens).put("closes", closes).put("place", "Torget"))).getString("id");
  }

  /** An unsigned token ({@code alg: none}) naming a system administrator. */
  private static String unsigned(String staffId) {
    var encoder = Base64.getUrlEncoder().withoutPadding();
    String header = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = encoder.encodeToString(new JsonObject().put("sub", staffId).put("iss", "servicepunkt")
        .put("roles", new JsonArray().add("sysadmin")).put("sv", 0)
        .put("exp", System.currentTimeMillis() / 1000 + 3600).encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + claims + ".";
  }

  /** A caller's token for a route that ends the sign-in it is called with: a new account of the same kind. */
  private String throwawayToken(Caller caller) {
    return switch (caller) {
      case STAFF -> fx.token(orgB, "staff");
      case ADMIN -> fx.token(orgB, "admin");
      case MANAGER -> fx.token(orgB, "manager");
      case RECEPTION -> fx.token(orgB, "reception");
      case SYSADMIN -> {
        String email = "sysadmin-" + UUID.randomUUID() + "@matrix.example";
        server.sql("INSERT INTO staff (organisation_id, email, display_name, password_hash, roles) "
            + "SELECT NULL, $1, 'Sys', password_hash, ARRAY['sysadmin'] FROM staff WHERE email = $2",
            email, TestServer.SYSADMIN_EMAIL);
        yield server.signIn(email, TestServer.PASSWORD);
      }
      case OTHER -> fx.token(server.sql("SELECT id::text FROM organisation WHERE name = 'Kungsbacka kommun'")
          .iterator().next().getString(0), "admin", "staff");
      default -> tokens.get(caller);
    };
  }

  // ---- one call -----------------------------------------------------------------------------------

  private record Request(String path, Object body) {
  }

  /** Answers that openapi.yaml does not declare, met on the way (the test fails on them after the matrix). */
  private final List<String> undeclared = new ArrayList<>();

  private int call(String route, Caller caller) {
    try {
      int status = send(route, caller);
      if (status >= 500) {
        failed.add(route + " by " + caller + ": " + status);
      }
      return status;
    } catch (se.servicepunkt.testing.ContractViolation e) {
      undeclared.add(route + " by " + caller + ": " + e.getMessage());
      var status = java.util.regex.Pattern.compile("answered (\\d{3})").matcher(e.getMessage());
      return status.find() ? Integer.parseInt(status.group(1)) : -1;
    }
  }

  private int send(String route, Caller caller) {
    HttpMethod method = HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
    String template = route.substring(route.indexOf(' ') + 1);
    if (!template.startsWith(ApiRouter.API + "/")) {
      return page(method, template, tokens.get(caller));
    }
    boolean endsSignIn = template.equals("/api/v1/auth/logout") || template.equals("/api/v1/auth/password");
    String token = endsSignIn ? throwawayToken(caller) : tokens.get(caller);
    Request request = request(method, template);
    if (template.endsWith("/events")) {
      var headers = token == null ? Map.<String, String>of() : Map.of("Authorization", "Bearer " + token);
      try (var stream = server.stream(request.path(), headers)) {
        return stream.status();
      }
    }
    Object body = request.body();
    if (template.startsWith("/api/v1/bookings/:reference") && caller == Caller.ANONYMOUS) {
      // a resident comes with nothing but the reference: their manage token is a credential of its own
      var response = server.call(method, request.path(), null, body);
      if (response.statusCode() == 401 && !"Bearer".equals(response.getHeader("WWW-Authenticate"))) {
        unchallenged.add(route + " by " + caller);
      }
      return response.statusCode();
    }
    var response = server.call(method, request.path(), token, body);
    if (response.statusCode() == 401 && !"Bearer".equals(response.getHeader("WWW-Authenticate"))) {
      unchallenged.add(route + " by " + caller);
    }
    return response.statusCode();
  }

  /**
   * A page, an operations path or a static file: a browser's request (forms come from the server's
   * own pages, as their same-origin check wants), with the caller's token as a bearer header, which
   * pages never read: staff pages are the same for everyone and call the API themselves.
   */
  private int page(HttpMethod method, String template, String token) {
    String path = template;
    path = fill(path, ":reference", () -> reference);
    path = fill(path, ":ticket", () -> ticket);
    path = fill(path, ":room", () -> "rum-" + UUID.randomUUID());
    path = fill(path, ":name", () -> "site.css");
    path = fill(path, ":code", () -> "ABCD2345"); // a ticket's short link: a code nobody was given
    path = fill(path, ":id", () -> point);
    if (path.contains(":")) {
      throw new AssertionError("no value for a parameter of " + template);
    }
    var request = server.client().request(method, path).followRedirects(false)
        .putHeader("Origin", "http://localhost:" + server.port()).putHeader("Accept", "text/html");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    var response = method == HttpMethod.POST
        ? request.sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap()).await()
        : request.send().await();
    return response.statusCode();
  }

  /** The route's path with B's things (new ones for routes that end them) and a body that passes validation where needed. */
  private Request request(HttpMethod method, String template) {
    boolean delete = method == HttpMethod.DELETE;
    String path = template;
    path = fill(path, ":reference", () -> reference);
    path = fill(path, ":ticket", () -> ticket);
    path = fill(path, ":counterId", () -> delete ? newCounter() : crudCounter);
    path = fill(path, ":counter", () -> counter);
    path = fill(path, ":organisationId", () -> delete ? memberOrganisation() : thirdOrg);
    path = fill(path, ":serviceId", () -> delete ? offered(newService()) : otherService);
    path = fill(path, ":token", this::newDisplayToken);
    path = fill(path, ":date", () -> delete ? newException() : day.plusDays(20).toString());
    path = fill(path, ":stopId", () -> delete ? newStop("12:00", "13:00") : stop);
    if (path.startsWith("/api/v1/service-points/:id/stops")) {
      path = path.replace(":id", unit);
    } else if (path.startsWith("/api/v1/service-points/:id")) {
      path = path.replace(":id", delete && path.equals("/api/v1/service-points/:id") ? newPoint() : point);
    } else if (path.startsWith("/api/v1/organisations/:id")) {
      path = path.replace(":id", delete ? fx.organisation("Tillfällig " + UUID.randomUUID()) : orgB);
    } else if (path.startsWith("/api/v1/services/:id")) {
      path = path.replace(":id", delete ? newService() : service);
    } else if (path.startsWith("/api/v1/staff/:id")) {
      path = path.replace(":id", delete ? newStaff() : member);
    } else if (path.startsWith("/api/v1/shifts/:id")) {
      path = path.replace(":id", delete ? newShift() : shift);
    }
    if (path.contains(":")) {
      throw new AssertionError("no value for a parameter of " + template);
    }
    if (template.startsWith("/api/v1/counters/:counter")) {
      reopenCounter();
    }
    return new Request(path + query(method, template), body(method, template));
  }

  /** {@code path} with {@code parameter} replaced by {@code value}'s, which is made only when the path has it. */
  private static String fill(String path, String parameter, Supplier<String> value) {
    return path.contains(parameter) ? path.replace(parameter, value.get()) : path;
  }

  /** The query a route needs to get as far as who-may-do-what. */
  private String query(HttpMethod method, String template) {
    return switch (method.name() + " " + template) {
      case "GET /api/v1/audit" -> "?from=" + day.minusDays(5) + "&to=" + day + "&organisationId=" + orgB;
      case "GET /api/v1/bookings" -> "?servicePoint=" + point;
      case "GET /api/v1/personal-data" -> "?email=karin@matrix.example";
      case "DELETE /api/v1/personal-data" -> "?email=nobody@matrix.example";
      case "GET /api/v1/shifts" -> "?staff=" + member;
      case "GET /api/v1/stats", "GET /api/v1/stats/dashboard" -> "?from=" + day.minusDays(5) + "&to=" + day;
      case "GET /api/v1/stats/report" -> "?year=" + day.getYear() + "&organisation=" + orgB;
      default -> "";
    };
  }

  /**
   * A valid body for routes that read it before deciding who may call them (so that the answer is
   * about the caller, not the body); null for the others.
   */
  private Object body(HttpMethod method, String template) {
    var serviceBody = new JsonObject().put("nameSv", "Hälsoval").put("nameEn", "Health choice").put("ticketLetter", "H")
        .put("durationMinutes", 20).put("channels", new JsonArray().add("desk")).put("minNoticeMinutes", 0);
    var stopBody = new JsonObject().put("date", LocalDate.now(ZoneId.of("Europe/Stockholm"))
        .plusDays(10 + days.incrementAndGet()).toString()).put("opens", "14:00").put("closes", "15:00").put("place", "Torget");
    var week = new JsonArray();
    for (int weekday = 1; weekday <= 7; weekday++) {
      week.add(new JsonObject().put("weekday", weekday).put("opens", "00:00").put("closes", "23:59"));
    }
    return switch (method.name() + " " + template) {
      case "POST /api/v1/counters/:counter/call" -> new JsonObject().put("ticketId", ticket);
      case "POST /api/v1/tickets/:ticket/transfer" -> new JsonObject().put("serviceId", otherService);
      case "POST /api/v1/auth/password" -> new JsonObject().put("currentPassword", TestServer.PASSWORD)
          .put("newPassword", "another-long-enough-password");
      case "POST /api/v1/bookings/:reference/reschedule" -> new JsonObject().put("start", secondSlot);
      case "POST /api/v1/service-points", "PUT /api/v1/service-points/:id" -> new JsonObject()
          .put("name", "Servicepunkt Falkenberg").put("kind", "office").put("timeZone", "Europe/Stockholm");
      case "POST /api/v1/service-points/:id/counters" -> new JsonObject().put("name", "Disk " + UUID.randomUUID());
      case "PUT /api/v1/service-points/:id/counters/:counterId" -> new JsonObject().put("name", "Disk 2");
      case "POST /api/v1/service-points/:id/display-tokens" -> new JsonObject().put("name", "Skärm");
      case "POST /api/v1/service-points/:id/stops", "PUT /api/v1/service-points/:id/stops/:stopId" -> stopBody;
      case "PUT /api/v1/service-points/:id/opening-exceptions/:date" -> new JsonObject().put("closed", true);
      case "PUT /api/v1/service-points/:id/opening-hours" -> new JsonObject().put("weeklyHours", week);
      case "PUT /api/v1/service-points/:id/organisations/:organisationId/statistics-sharing" ->
          new JsonObject().put("shared", true);
      case "POST /api/v1/services" -> serviceBody.put("organisationId", orgB);
      case "PUT /api/v1/services/:id" -> serviceBody;
      case "POST /api/v1/shifts" -> shiftBody(newStaff(), "13:00", "14:00");
      case "POST /api/v1/shifts/batch" -> new JsonObject().put("shifts", new JsonArray().add(shiftBody(newStaff(), "13:00", "14:00")));
      case "PUT /api/v1/shifts/:id" -> shiftBody(staffId, "08:00", "16:00");
      case "POST /api/v1/staff" -> new JsonObject().put("email", "new-" + UUID.randomUUID() + "@matrix.example")
          .put("displayName", "Ny").put("password", "a-long-enough-password").put("roles", new JsonArray().add("staff"))
          .put("organisationId", orgB);
      case "PUT /api/v1/staff/:id" -> new JsonObject().put("email", memberEmail).put("displayName", "Medarbetare")
          .put("roles", new JsonArray().add("staff")).put("active", true);
      case "PUT /api/v1/staff/:id/skills" -> new JsonObject().put("serviceIds", new JsonArray().add(service));
      case "PUT /api/v1/organisations/:id" -> new JsonObject().put("name", "Region Halland");
      case "POST /api/v1/organisations" -> new JsonObject().put("name", "Ny " + UUID.randomUUID());
      default -> null;
    };
  }

  /** Before a call on the counter: its session open again and held by B's member of staff, whatever the last call did. */
  private void reopenCounter() {
    server.sql("UPDATE counter_session SET status = 'open', pause_reason = NULL, paused_at = NULL WHERE counter_id = $1::uuid AND status = 'paused'", counter);
    server.sql("""
        INSERT INTO counter_session (counter_id, staff_id, channels) SELECT $1::uuid, $2::uuid, ARRAY['desk']
        WHERE NOT EXISTS (SELECT 1 FROM counter_session WHERE counter_id = $1::uuid AND status <> 'closed')""",
        counter, staffId);
  }

  private String newService() {
    return service("Tillfällig", "Z");
  }

  private String offered(String serviceId) {
    offer(serviceId);
    return serviceId;
  }

  private String newPoint() {
    return fx.servicePoint(adminB, "Tillfällig " + UUID.randomUUID(), "office");
  }

  private String newCounter() {
    return created(server.post("/api/v1/service-points/" + point + "/counters", adminB,
        new JsonObject().put("name", "Disk " + UUID.randomUUID()))).getString("id");
  }

  private String newShift() {
    String staffId = newStaff();
    return created(server.post("/api/v1/shifts", adminB, shiftBody(staffId, "12:00", "13:00"))).getString("id");
  }

  private String memberOrganisation() {
    String org = fx.organisation("Medlem " + UUID.randomUUID());
    assertEquals(204, server.put("/api/v1/service-points/" + point + "/organisations/" + org, adminB, null).statusCode());
    return org;
  }

  private String newDisplayToken() {
    return created(server.post("/api/v1/service-points/" + point + "/display-tokens", adminB,
        new JsonObject().put("name", "Skärm"))).getString("id");
  }

  private String newException() {
    String date = day.plusDays(40 + days.incrementAndGet()).toString();
    var put = server.put("/api/v1/service-points/" + point + "/opening-exceptions/" + date, adminB,
        new JsonObject().put("closed", true));
    assertTrue(put.statusCode() == 200 || put.statusCode() == 201 || put.statusCode() == 204, put.bodyAsString());
    return date;
  }
}
