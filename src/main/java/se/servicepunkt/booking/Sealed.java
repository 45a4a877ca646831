package se.servicepunkt.booking;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a resident typed in the booking flow (name, e-mail, phone, language, consent), carried from
 * page to page in the address instead of a server session: AES-GCM under a key derived from the
 * server's secret, so it can be neither read (from a log, the browser's history) nor changed, and
 * with the time it was sealed, so it is refused after {@link #TTL}. Every instance with the same
 * secret opens what another sealed.
 */
final class Sealed {
  static final Duration TTL = Duration.ofHours(4);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;
  private final Clock clock;

  Sealed(byte[] key, Clock clock) {
    this.key = new SecretKeySpec(java.util.Arrays.copyOf(key, 32), "AES");
    this.clock = clock;
  }

  /** The value sealed, URL-safe. */
  String seal(JsonObject value) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      byte[] plain = new JsonObject().put("at", clock.millis()).put("v", value).toBuffer().getBytes();
      byte[] sealed = cipher.doFinal(plain);
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What {@link #seal} sealed, or null when {@code text} is missing, changed, from another secret or too old. */
  JsonObject open(String text) {
    if (text == null || text.isEmpty() || text.length() > 4000) {
      return null;
    }
    try {
      byte[] all = Base64.getUrlDecoder().decode(text);
      if (all.length < 12 + 16) {
        return null;
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
      JsonObject outer = new JsonObject(Buffer.buffer(cipher.doFinal(all, 12, all.length - 12)));
      long age = clock.millis() - outer.getLong("at", 0L);
      return age < 0 || age > TTL.toMillis() ? null : outer.getJsonObject("v");
    } catch (GeneralSecurityException | IllegalArgumentException | io.vertx.core.json.DecodeException e) {
      return null;
    }
  }
}
