package se.servicepunkt.booking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A booking's manage token: HMAC-SHA256 of the booking's random id under a key derived from the
 * server's secret (256 bits, URL-safe). The database keeps only its hash, as before; deriving it
 * lets an e-mail sent hours later (a reminder, a notice of a change made by staff) carry the
 * manage link without the token ever being stored. Changing the server's secret ends the old
 * links, as it ends staff sessions.
 */
public final class ManageTokens {
  private final SecretKeySpec root;
  private final SecretKeySpec key;

  public ManageTokens(String serverSecret) {
    this.root = new SecretKeySpec(serverSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.key = new SecretKeySpec(hmac(root, "servicepunkt manage tokens v1"), "HmacSHA256");
  }

  /** A 256-bit key of its own for {@code purpose}, derived from the server's secret like the manage tokens' key. */
  byte[] derive(String purpose) {
    return hmac(root, purpose);
  }

  public String forBooking(UUID bookingId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, bookingId.toString()));
  }

  private static byte[] hmac(SecretKeySpec key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
