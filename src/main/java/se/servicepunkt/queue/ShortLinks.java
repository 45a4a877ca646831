package se.servicepunkt.queue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import se.servicepunkt.core.Secrets;

/**
 * A ticket's short link, {@code /k/K7XM-2QPD}: a code short enough to type from a screen or a
 * receipt (8 characters without look-alikes, about 40 bits), which leads to the ticket's page with
 * its token. Only a hash of the code is stored, and the ticket's token sealed (AES-GCM) under a key
 * derived from the code, so the database alone gives neither the code nor the token.
 */
final class ShortLinks {
  private static final char[] ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private ShortLinks() {
  }

  /** A new random code. */
  static String random() {
    return Secrets.reference();
  }

  /** The code of a ticket taken with an idempotency key, so that the repeated request gets it again. */
  static String derived(String seed) {
    byte[] bytes = Secrets.sha256("ticket-short-code:" + seed);
    var text = new StringBuilder(9);
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        text.append('-');
      }
      text.append(ALPHABET[Byte.toUnsignedInt(bytes[i]) % ALPHABET.length]);
    }
    return text.toString();
  }

  /** A code as typed ("k7xm 2qpd", "K7XM2QPD") in its one spelling, or null when it cannot be one. */
  static String normalise(String typed) {
    if (typed == null) {
      return null;
    }
    String plain = typed.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
    if (plain.length() != 8) {
      return null;
    }
    for (char c : plain.toCharArray()) {
      if (Arrays.binarySearch(sorted(), c) < 0) {
        return null;
      }
    }
    return plain.substring(0, 4) + "-" + plain.substring(4);
  }

  private static char[] sorted() {
    char[] copy = ALPHABET.clone();
    Arrays.sort(copy);
    return copy;
  }

  static byte[] hash(String code) {
    return Secrets.sha256("ticket-short-link:" + code);
  }

  /** The token, sealed under the code. */
  static byte[] seal(String code, String token) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      byte[] sealed = cipher(Cipher.ENCRYPT_MODE, code, iv).doFinal(token.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token sealed under the code; null when it does not open. */
  static String open(String code, byte[] sealed) {
    try {
      return new String(cipher(Cipher.DECRYPT_MODE, code, Arrays.copyOf(sealed, 12))
          .doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      return null;
    }
  }

  private static Cipher cipher(int mode, String code, byte[] iv) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(Secrets.sha256("ticket-short-seal:" + code), "AES"), new GCMParameterSpec(128, iv));
    return cipher;
  }
}
