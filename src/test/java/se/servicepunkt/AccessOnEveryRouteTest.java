package se.servicepunkt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestServer;

/**
 * Every API route the router has, called with tokens that must grant nothing: an unsigned token
 * ({@code alg: none}) naming a system administrator, and the valid token of a system administrator
 * who has since been deactivated. Neither may ever get more than a caller without a token gets:
 * the answer is 401, or, on a route that does not look at tokens, what the anonymous caller gets.
 * The routes come from the router itself, so a route added later is covered without being listed.
 */
class AccessOnEveryRouteTest {
  record Call(HttpMethod method, String path) {
  }

  /** Every (method, path) of the API's router, its path parameters filled with ids nobody has. */
  static List<Call> apiCalls(AppContext app) {
    var calls = new TreeSet<String>();
    for (Route mount : ApiRouter.create(app).getRoutes()) {
      if (mount.getSubRouter() == null) {
        continue;
      }
      for (Route route : mount.getSubRouter().getRoutes()) {
        if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
          continue; // handlers for every request (limits, bodies), not routes of their own
        }
        String path = ApiRouter.API + route.getPath().replaceAll(":reference", "ZZZZZZZZ")
            .replaceAll(":[a-zA-Z]+", UUID.randomUUID().toString());
        route.methods().forEach(method -> calls.add(method.name() + " " + path));
      }
    }
    var list = new ArrayList<Call>();
    calls.forEach(c -> list.add(new Call(HttpMethod.valueOf(c.substring(0, c.indexOf(' '))), c.substring(c.indexOf(' ') + 1))));
    return list;
  }

  private static String unsigned(String staffId) {
    var encoder = Base64.getUrlEncoder().withoutPadding();
    String header = encoder.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = encoder.encodeToString(new JsonObject().put("sub", staffId).put("iss", "servicepunkt")
        .put("roles", new JsonArray().add("sysadmin")).put("sv", 0)
        .put("exp", System.currentTimeMillis() / 1000 + 3600).encode().getBytes(StandardCharsets.UTF_8));
    return header + "." + claims + ".";
  }

  @Test
  void anUnsignedTokenAndADeactivatedAdministratorsTokenGetNothingOnAnyRoute() {
    try (var server = TestServer.start(Map.of())) {
      var fx = new Fixtures(server);
      String org = fx.organisation("Region Gotland");
      fx.account(org, "former-admin@gotland.example", "staff", "admin");
      server.sql("INSERT INTO staff (organisation_id, email, display_name, password_hash, roles) "
          + "SELECT NULL, 'former-sysadmin@test.example', 'Former', password_hash, ARRAY['sysadmin'] FROM staff "
          + "WHERE email = $1", TestServer.SYSADMIN_EMAIL);
      String deactivated = server.signIn("former-sysadmin@test.example", TestServer.PASSWORD);
      String staffId = server.sql("SELECT id::text FROM staff WHERE email = 'former-sysadmin@test.example'")
          .iterator().next().getString(0);
      server.sql("UPDATE staff SET active = false WHERE email = 'former-sysadmin@test.example'");
      String forged = unsigned(staffId);

      var client = WebClient.create(server.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()).setIdleTimeout(5));
      List<Call> calls = apiCalls(server.app());
      assertTrue(calls.size() > 40, "the router's routes were found: " + calls);
      var gained = new ArrayList<String>();
      var refusedAnonymous = 0;
      for (Call call : calls) {
        int anonymous = send(client, call, null);
        refusedAnonymous += anonymous == 401 ? 1 : 0;
        for (String token : new String[] {forged, deactivated}) {
          int status = send(client, call, token);
          if (status != 401 && status != anonymous) {
            gained.add(call + (token == forged ? " unsigned: " : " deactivated: ") + status + " (anonymous " + anonymous + ")");
          }
        }
      }
      assertTrue(gained.isEmpty(), "a token that must grant nothing changed the answer: " + gained);
      assertTrue(refusedAnonymous > 30, "most routes need staff: " + refusedAnonymous + " of " + calls.size());
      assertFalse(calls.stream().anyMatch(c -> c.path().contains(":")), "every path parameter was filled");
    }
  }

  private static int send(WebClient client, Call call, String token) {
    var request = client.request(call.method(), call.path()).timeout(5_000);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
      if (call.path().endsWith("/events")) {
        request.addQueryParam("access_token", token);
      }
    }
    var response = call.method() == HttpMethod.GET || call.method() == HttpMethod.DELETE
        ? request.send()
        : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{}"));
    try {
      return response.await().statusCode();
    } catch (RuntimeException e) {
      return -1; // no answer within the timeout (a stream that opened)
    }
  }
}
