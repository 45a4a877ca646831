package se.servicepunkt.booking;

import se.servicepunkt.core.Secrets;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import se.servicepunkt.core.Problem;

/**
 * {@code Idempotency-Key}: a retried request gets the first answer instead of doing the work
 * twice. The key is claimed in the same transaction as the work, so a concurrent retry waits for
 * the first to commit and then replays its answer. Only hashes of the key are stored; the answer
 * (which carries the resident's manage token) is encrypted with AES-GCM under a key derived from
 * the Idempotency-Key, which only the client holds.
 */
final class Idempotency {
  /** A stored or fresh answer. */
  record Answer(int status, JsonObject body) {
  }

  private static final String CLAIM = """
      INSERT INTO idempotent_request (key_hash, request_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING""";
  private static final String FIND = "SELECT request_hash, status, response FROM idempotent_request WHERE key_hash = $1";
  private static final String COMPLETE = "UPDATE idempotent_request SET status = $2, response = $3 WHERE key_hash = $1";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String key;
  private final byte[] keyHash;
  private final byte[] requestHash;

  Idempotency(String key, JsonObject request) {
    this.key = key;
    this.keyHash = Secrets.sha256("idempotency-key:" + key);
    this.requestHash = Secrets.sha256(request.encode());
  }

  /** Checks a header value: 1 to 200 visible ASCII characters. */
  static String check(String header) {
    if (header == null) {
      return null;
    }
    if (!header.matches("[\\x21-\\x7e]{1,200}")) {
      throw Problem.badRequest("Idempotency-Key must be 1 to 200 visible ASCII characters, e.g. a UUID.");
    }
    return header;
  }

  /**
   * Claims the key in {@code tx}: empty when this request does the work, or the first request's
   * answer to replay. A key used before for a different request is a 422.
   */
  Future<Answer> claim(SqlClient tx) {
    return tx.preparedQuery(CLAIM).execute(Tuple.of(Buffer.buffer(keyHash), Buffer.buffer(requestHash)))
        .compose(claimed -> claimed.rowCount() == 1
            ? Future.succeededFuture()
            : tx.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(keyHash))).map(rows -> {
              var row = rows.iterator().next();
              if (!MessageDigest.isEqual(row.getBuffer("request_hash").getBytes(), requestHash)) {
                throw Problem.invalid("Idempotency-Key", "was already used for a different request");
              }
              return new Answer(row.getInteger("status"), decrypt(row.getBuffer("response").getBytes()));
            }));
  }

  /** Stores the answer with the claim, in the same transaction as the work. */
  Future<Answer> complete(SqlClient tx, Answer answer) {
    return tx.preparedQuery(COMPLETE)
        .execute(Tuple.of(Buffer.buffer(keyHash), answer.status(), Buffer.buffer(encrypt(answer.body()))))
        .map(answer);
  }

  private byte[] encrypt(JsonObject body) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv);
      byte[] sealed = cipher.doFinal(body.toBuffer().getBytes());
      return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonObject decrypt(byte[] stored) {
    try {
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(stored, 12));
      return new JsonObject(Buffer.buffer(cipher.doFinal(stored, 12, stored.length - 12)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Cipher cipher(int mode, byte[] iv) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(Secrets.sha256("idempotency-seal:" + key), "AES"), new GCMParameterSpec(128, iv));
    return cipher;
  }
}
