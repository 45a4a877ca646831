package se.servicepunkt.queue;

import static se.servicepunkt.testing.Fixtures.created;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * A fresh service point of its own for one test: open every day 07:00–20:00, offering the
 * services it is given; staff and counters made on demand.
 */
final class Lobby {
  final TestServer server;
  final Fixtures fx;
  final String org;
  final String admin;
  final String point;

  /**
   * A point open around the clock (the opening hours' last minute aside): many tests run on the
   * machine's own clock, and with 07:00–20:00 they failed every evening after 20:00 in Stockholm
   * ("the service point is closed now"). Tests of opening hours pass their own {@link Hours}.
   */
  Lobby(TestServer server, Fixtures fx, String org, String admin, String name, String... services) {
    this(server, fx, org, admin, name, new Hours("00:00", "23:59"), services);
  }

  /** Opening hours every day. */
  record Hours(String opens, String closes) {
  }

  Lobby(TestServer server, Fixtures fx, String org, String admin, String name, Hours hours, String... services) {
    this.server = server;
    this.fx = fx;
    this.org = org;
    this.admin = admin;
    this.point = fx.servicePoint(admin, name, "office");
    fx.openEveryDay(admin, point, hours.opens(), hours.closes());
    for (String service : services) {
      var offered = server.put("/api/v1/service-points/" + point + "/services/" + service, admin, null);
      if (offered.statusCode() != 204) {
        throw new AssertionError(offered.bodyAsString());
      }
    }
  }

  /** A service of the organisation, 20 minutes, with these channels; returns its id. */
  static String service(TestServer server, String admin, String name, String letter, String... channels) {
    return created(server.post("/api/v1/services", admin, new JsonObject().put("nameSv", name).put("nameEn", name)
        .put("ticketLetter", letter).put("durationMinutes", 20).put("channels", new JsonArray(List.of(channels)))
        .put("minNoticeMinutes", 0))).getString("id");
  }

  String counter(String name, String channel) {
    return created(server.post("/api/v1/service-points/" + point + "/counters", admin,
        new JsonObject().put("name", name).put("channel", channel))).getString("id");
  }

  /** A member of staff with these skills, signed in: their token. */
  Staff staff(String... services) {
    String email = "staff-" + UUID.randomUUID() + "@lobby.example";
    fx.account(org, email, "staff");
    String id = server.sql("SELECT id FROM staff WHERE email = $1", email).iterator().next().getUUID(0).toString();
    var skills = server.put("/api/v1/staff/" + id + "/skills", admin,
        new JsonObject().put("serviceIds", new JsonArray(List.of(services))));
    if (skills.statusCode() != 200 && skills.statusCode() != 204) {
      throw new AssertionError(skills.bodyAsString());
    }
    return new Staff(id, server.signIn(email, TestServer.PASSWORD));
  }

  /** A member of staff at an open counter of their own. */
  Desk desk(String name, String channel, String... services) {
    return desk(name, channel, staff(services), List.of(channel));
  }

  /** This member of staff at a new counter, taking visitors of these channels. */
  Desk desk(String name, String channel, Staff staff, List<String> takes) {
    String counter = counter(name, channel);
    var opened = server.post("/api/v1/counters/" + counter + "/session", staff.token(),
        new JsonObject().put("channels", new JsonArray(takes)));
    if (opened.statusCode() != 200) {
      throw new AssertionError(opened.bodyAsString());
    }
    return new Desk(counter, staff.token());
  }

  JsonObject ticket(String service, String channel, String priority) {
    var body = new JsonObject().put("serviceId", service).put("channel", channel).put("language", "sv");
    if (priority != null) {
      body.put("priorityReason", priority);
    }
    return created(server.post("/api/v1/service-points/" + point + "/tickets", null, body));
  }

  JsonObject ticket(String service) {
    return ticket(service, "desk", null);
  }

  /** The number called by one call-next at the desk, or null when nobody waits for it. */
  String callNext(Desk desk) {
    var called = server.post("/api/v1/counters/" + desk.counter() + "/call-next", desk.token(), null);
    if (called.statusCode() == 204) {
      return null;
    }
    if (called.statusCode() != 200) {
      throw new AssertionError(called.bodyAsString());
    }
    return called.bodyAsJsonObject().getString("number");
  }

  record Staff(String id, String token) {
  }

  record Desk(String counter, String token) {
  }
}
