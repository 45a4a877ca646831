package se.servicepunkt.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random references, manage tokens and video room names, and the hashes stored instead of tokens. */
public final class Secrets {
  /** Crockford-like alphabet without 0/O and 1/I/L, so a reference read over the phone is unambiguous. */
  private static final char[] REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {
  }

  /** {@code K7XM-2QPD}: 8 characters, about 40 bits; unique in the database, retried on a clash. */
  public static String reference() {
    var text = new StringBuilder(9);
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        text.append('-');
      }
      text.append(REFERENCE_ALPHABET[RANDOM.nextInt(REFERENCE_ALPHABET.length)]);
    }
    return text.toString();
  }

  /** 256 random bits, URL-safe. */
  public static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A video room name nobody can guess: 128 random bits. */
  public static String room() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "sp-" + java.util.HexFormat.of().formatHex(bytes);
  }

  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares a presented token with a stored hash in constant time. */
  public static boolean matches(String token, byte[] storedHash) {
    return token != null && storedHash != null && MessageDigest.isEqual(sha256(token), storedHash);
  }
}
