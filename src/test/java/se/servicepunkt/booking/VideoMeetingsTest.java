package se.servicepunkt.booking;

import se.servicepunkt.video.VideoMeetings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.config.ConfigLoader;

class VideoMeetingsTest {
  static final Vertx VERTX = Vertx.vertx();
  static final String SECRET = "jitsi-shared-secret-of-enough-length-32";

  @AfterAll
  static void close() {
    VERTX.close().await();
  }

  static AppConfig config(Map<String, String> env) {
    return ConfigLoader.load(null, env);
  }

  @Test
  void jitsiRoomTokensAreSignedAndValidOnlyAroundTheMeeting() {
    var meetings = VideoMeetings.from(VERTX, config(Map.of("SP_VIDEO_JITSI_URL", "https://meet.kommun.example/",
        "SP_VIDEO_JITSI_APP_ID", "servicepunkt", "SP_VIDEO_JITSI_SECRET", SECRET)));
    Instant start = Instant.now().plusSeconds(300);
    Instant end = start.plus(Duration.ofMinutes(20));
    String link = meetings.link("sp-0123456789abcdef0123456789abcdef", start, end);
    assertTrue(link.startsWith("https://meet.kommun.example/sp-0123456789abcdef0123456789abcdef?jwt="), link);
    String jwt = link.substring(link.indexOf("?jwt=") + 5);
    var claims = new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1])));
    assertEquals("jitsi", claims.getString("aud"));
    assertEquals("servicepunkt", claims.getString("iss"));
    assertEquals("meet.kommun.example", claims.getString("sub"));
    assertEquals("sp-0123456789abcdef0123456789abcdef", claims.getString("room"));
    assertEquals(start.minus(Duration.ofMinutes(15)).getEpochSecond(), claims.getLong("nbf"));
    assertEquals(end.plus(Duration.ofMinutes(30)).getEpochSecond(), claims.getLong("exp"));
    var verifier = JWTAuth.create(VERTX, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    var user = verifier.authenticate(new TokenCredentials(jwt)).await();
    assertEquals("sp-0123456789abcdef0123456789abcdef", user.principal().getString("room"), "signed with the shared secret");
  }

  @Test
  void aTemplateOrNothingAndNeverAPublicServiceByDefault() {
    assertEquals("https://video.region.example/join/sp-1", VideoMeetings.from(VERTX,
        config(Map.of("SP_VIDEO_URL_TEMPLATE", "https://video.region.example/join/{room}"))).link("sp-1", Instant.now(), Instant.now()));
    assertEquals("https://meet.kommun.example/sp-1", VideoMeetings.from(VERTX,
        config(Map.of("SP_VIDEO_JITSI_URL", "https://meet.kommun.example"))).link("sp-1", Instant.now(), Instant.now()));
    assertNull(VideoMeetings.from(VERTX, config(Map.of())), "no provider unless configured");
    assertEquals("http://localhost:8080/video/sp-1", VideoMeetings.from(VERTX, config(Map.of("SP_DEMO", "true")))
        .link("sp-1", Instant.now(), Instant.now()), "demo mode links to this server's own visit page");
  }
}
