package se.servicepunkt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.config.ConfigException;

/** The secret that signs staff tokens: configured, read from a key file, or (demo only) made up. */
final class TokenSecret {
  private static final Logger LOG = LoggerFactory.getLogger(TokenSecret.class);
  private static final int MIN_BYTES = 32;

  private TokenSecret() {
  }

  static String jwtSecret(AppConfig config) {
    String secret = config.jwtSecret();
    if (secret == null && config.jwtKeyFile() != null) {
      try {
        secret = Files.readString(Path.of(config.jwtKeyFile()), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new ConfigException("cannot read the JWT key file " + config.jwtKeyFile() + " (SP_JWT_KEY_FILE)");
      }
    }
    if (secret == null) {
      if (!config.demo()) {
        throw new ConfigException("no token secret: set SP_JWT_SECRET (at least " + MIN_BYTES
            + " characters) or SP_JWT_KEY_FILE; only demo mode (SP_DEMO=true) makes one up");
      }
      byte[] random = new byte[MIN_BYTES];
      new SecureRandom().nextBytes(random);
      LOG.warn("Demo mode: signing tokens with a random secret; sign-ins end when the server restarts");
      return Base64.getEncoder().encodeToString(random);
    }
    if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
      throw new ConfigException("the token secret must have at least " + MIN_BYTES + " characters");
    }
    return secret;
  }
}
