package se.servicepunkt.booking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.core.Problem;
import se.servicepunkt.testing.Fixtures;
import se.servicepunkt.testing.TestClock;
import se.servicepunkt.testing.TestServer;

/**
 * What the booking pages added to the booking service: the free times as a typed offer (the same
 * as the API's availability), "find my booking" answering the same for a wrong reference and a
 * wrong e-mail, and the sealed details refused when changed, from another secret or too old.
 */
class BookingPagesServiceTest {
  static final ZoneId STOCKHOLM = ZoneId.of("Europe/Stockholm");
  static final TestClock CLOCK = new TestClock(Instant.now());
  static TestServer server;
  static UUID hemse;
  static UUID desk;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("demo", true), CLOCK);
    hemse = server.sql("SELECT id FROM service_point WHERE name = 'Hemse servicepunkt'").iterator().next().getUUID(0);
    desk = server.sql("SELECT id FROM service WHERE name_sv = 'Regional informationsdisk'").iterator().next().getUUID(0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  BookingService service() {
    return server.app().bookings();
  }

  @Test
  void theOfferIsTheApisAvailability() {
    LocalDate from = LocalDate.now(STOCKHOLM).plusDays(1);
    var offer = service().free(hemse, desk, "desk", from, from.plusDays(6)).await();
    var api = server.get("/api/v1/availability?servicePoint=" + hemse + "&service=" + desk + "&channel=desk&from="
        + from + "&to=" + from.plusDays(6)).bodyAsJsonObject().getJsonArray("slots");
    assertTrue(offer.slots().size() > 0);
    assertEquals(api.size(), offer.slots().size());
    assertEquals(api.getJsonObject(0).getString("start"), se.servicepunkt.core.Times.iso(offer.slots().get(0).start()));
    assertEquals("Hemse servicepunkt", offer.point().name());
    assertFalse(service().lastBookableDay(offer.point(), offer.service()).isBefore(from));
    var wrong = assertThrows(Exception.class, () -> service().free(hemse, desk, "nonsense", from, from).await());
    assertTrue(wrong instanceof Problem p && p.status() == 422, wrong.toString());
  }

  @Test
  void findAnswersTheSameForAWrongReferenceAndAWrongEmail() {
    LocalDate from = LocalDate.now(STOCKHOLM).plusDays(2);
    var slot = service().free(hemse, desk, "desk", from, from.plusDays(13)).await().slots().get(3);
    var booking = Fixtures.created(server.post("/api/v1/bookings", null, new JsonObject()
        .put("servicePointId", hemse.toString()).put("serviceId", desk.toString()).put("channel", "desk")
        .put("start", se.servicepunkt.core.Times.iso(slot.start())).put("name", "Karin Karlsson")
        .put("email", "karin@example.se").put("language", "sv").put("consent", true)));
    String reference = booking.getString("reference");

    var found = service().find(reference.toLowerCase().replace("-", ""), "  KARIN@example.se ").await();
    assertEquals(reference, found.booking().reference());
    assertEquals(booking.getString("manageToken"), found.token(), "the manage link's own token");

    var wrongEmail = assertThrows(Exception.class, () -> service().find(reference, "someone@example.se").await());
    var wrongReference = assertThrows(Exception.class, () -> service().find("AAAA-BBBB", "karin@example.se").await());
    var nonsense = assertThrows(Exception.class, () -> service().find("x", "karin@example.se").await());
    for (Exception e : new Exception[] {wrongEmail, wrongReference, nonsense}) {
      assertTrue(e instanceof Problem p && p.status() == 404, e.toString());
      assertEquals(wrongEmail.getMessage(), e.getMessage(), "one answer for every miss");
    }
  }

  @Test
  void sealedDetailsCannotBeReadChangedOrKeptForever() {
    var clock = new TestClock(Instant.parse("2026-03-03T09:00:00Z"));
    var sealed = new Sealed(new ManageTokens("a-secret-that-is-long-enough-000000").derive("pages"), clock);
    String text = sealed.seal(new JsonObject().put("email", "karin@example.se"));
    assertFalse(text.contains("karin"), "not readable");
    assertEquals("karin@example.se", sealed.open(text).getString("email"));
    char[] changed = text.toCharArray();
    changed[20] = changed[20] == 'A' ? 'B' : 'A';
    assertNull(sealed.open(new String(changed)), "changed");
    assertNull(new Sealed(new ManageTokens("another-secret-that-is-long-enough-0").derive("pages"), clock).open(text),
        "another secret");
    assertNull(sealed.open("not base64 at all!"));
    clock.set(clock.instant().plus(Sealed.TTL).plus(Duration.ofMinutes(1)));
    assertNull(sealed.open(text), "too old");
  }
}
