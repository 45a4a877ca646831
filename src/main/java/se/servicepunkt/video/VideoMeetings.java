package se.servicepunkt.video;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import se.servicepunkt.config.AppConfig;

/**
 * Where a video meeting happens: a self-hosted Jitsi Meet (optionally with a room token valid only
 * around the meeting) or any platform through a URL template. No public meeting service is built
 * in: with neither configured, video bookings are refused (demo mode points at this server).
 */
public interface VideoMeetings {
  /** The link a resident and staff use to join {@code room}, for a meeting from start to end. */
  String link(String room, Instant start, Instant end);

  /** The configured provider, or null when video meetings are not set up. */
  static VideoMeetings from(Vertx vertx, AppConfig config) {
    if (config.videoJitsiUrl() != null) {
      return new Jitsi(vertx, config.videoJitsiUrl(), config.videoJitsiAppId(), config.videoJitsiSecret());
    }
    if (config.videoUrlTemplate() != null) {
      return new Template(config.videoUrlTemplate());
    }
    if (config.demo()) {
      return new Template(config.baseUrl() + "/video/{room}");
    }
    return null;
  }

  /** {@code https://meet.example.se/sp-…}, with {@code ?jwt=} when an app id and secret are configured. */
  final class Jitsi implements VideoMeetings {
    static final Duration BEFORE = Duration.ofMinutes(15);
    static final Duration AFTER = Duration.ofMinutes(30);
    private final String baseUrl;
    private final String appId;
    private final JWTAuth jwt;

    Jitsi(Vertx vertx, String baseUrl, String appId, String secret) {
      this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
      this.appId = appId;
      this.jwt = secret == null ? null : JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    }

    @Override
    public String link(String room, Instant start, Instant end) {
      String url = baseUrl + "/" + room;
      if (jwt == null) {
        return url;
      }
      var claims = new JsonObject()
          .put("aud", "jitsi")
          .put("iss", appId)
          .put("sub", URI.create(baseUrl).getHost())
          .put("room", room)
          .put("nbf", start.minus(BEFORE).getEpochSecond())
          .put("exp", end.plus(AFTER).getEpochSecond());
      return url + "?jwt=" + jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    }
  }

  /** Any platform: {@code {room}} in the template is replaced by the room name. */
  final class Template implements VideoMeetings {
    private final String template;

    Template(String template) {
      this.template = template;
    }

    @Override
    public String link(String room, Instant start, Instant end) {
      return template.replace("{room}", URLEncoder.encode(room, StandardCharsets.UTF_8));
    }
  }
}
