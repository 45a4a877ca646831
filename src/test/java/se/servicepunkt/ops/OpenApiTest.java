package se.servicepunkt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.testing.TestServer;
import se.servicepunkt.ApiRouter;

/** Every route the server mounts is in {@code openapi.yaml}, and every operation there is mounted. */
class OpenApiTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theDescriptionIsAValidContractListingEveryRouteAndNoOther() {
    var result = new OpenAPIV3Parser().readLocation("src/main/resources/openapi.yaml", null, new ParseOptions());
    assertEquals(List.of(), result.getMessages(), "openapi.yaml must be a valid OpenAPI document");
    Set<String> documented = new TreeSet<>();
    result.getOpenAPI().getPaths().forEach((path, item) ->
        item.readOperationsMap().keySet().forEach(method -> documented.add(method.name() + " " + path)));

    Set<String> mounted = new TreeSet<>();
    collect(ApiRouter.create(server.app()), "", mounted);

    var missing = new TreeSet<>(mounted);
    missing.removeAll(documented);
    var stale = new TreeSet<>(documented);
    stale.removeAll(mounted);
    assertTrue(missing.isEmpty(), () -> "routes missing from openapi.yaml: " + missing);
    assertTrue(stale.isEmpty(), () -> "operations in openapi.yaml that no route serves: " + stale);
  }

  @Test
  void theServerServesTheDescription() {
    var response = server.get("/openapi.yaml");
    assertEquals(200, response.statusCode());
    assertTrue(response.getHeader("Content-Type").startsWith("application/yaml"));
    assertTrue(response.bodyAsString().startsWith("openapi: 3.1.0"));
  }

  private static void collect(Router router, String prefix, Set<String> out) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (route.getSubRouter() != null) {
        collect(route.getSubRouter(), prefix + path.replaceAll("/?\\*?$", "").replaceAll("/$", ""), out);
      } else if (path != null && !route.methods().isEmpty()) {
        String openApiPath = (prefix + path).replaceAll(":(\\w+)", "{$1}");
        route.methods().forEach(m -> out.add(m.name() + " " + openApiPath));
      }
    }
  }
}
