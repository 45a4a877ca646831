package se.servicepunkt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void thePackagedDefaultsAreTheOnesInConf() throws IOException {
    AppConfig config = ConfigLoader.load(null, Map.of());
    assertEquals(8080, config.httpPort());
    assertNull(config.dbUrl(), "no database configured means the embedded one");
    assertEquals("./data", config.dataDir());
    assertFalse(config.demo());
    assertEquals(Files.readString(Path.of("conf/servicepunkt.json")).replaceAll("\\s", ""),
        ConfigLoader.defaults().encode(), "conf/servicepunkt.json is what the build packages");
  }

  @Test
  void aConfigFileOverridesTheDefaultsAndTheEnvironmentWins() throws IOException {
    Path file = dir.resolve("servicepunkt.json");
    Files.writeString(file, "{\"httpPort\": 9090, \"publicUrl\": \"https://boka.example.se/\", \"dbPoolSize\": 12}");
    AppConfig config = ConfigLoader.load(file, Map.of("SP_DB_POOL_SIZE", "20", "SP_DEMO", "true",
        "SP_DB_URL", "postgresql://sp:pw@db:5432/sp"));
    assertEquals(9090, config.httpPort());
    assertEquals(20, config.dbPoolSize());
    assertTrue(config.demo());
    assertEquals("https://boka.example.se", config.baseUrl());
    assertEquals("postgresql://sp:pw@db:5432/sp", config.dbUrl());
  }

  @Test
  void theExampleConfigurationIsValid() {
    AppConfig config = ConfigLoader.load(Path.of("conf/servicepunkt.example.json"), Map.of());
    assertTrue(config.dbUrl().startsWith("postgresql://"));
  }

  @Test
  void badValuesGiveOneClearMessageNamingTheVariable() throws IOException {
    assertEquals("httpPort (SP_HTTP_PORT) must be a whole number, not 'eighty'",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_HTTP_PORT", "eighty"))).getMessage());
    assertEquals("httpPort (SP_HTTP_PORT) must be between 1 and 65535",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_HTTP_PORT", "70000"))).getMessage());
    assertEquals("demo (SP_DEMO) must be true or false",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_DEMO", "maybe"))).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_DB_URL", "mysql://x")))
        .getMessage().contains("postgresql://"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_ADMIN_EMAIL", "a@b.se")))
        .getMessage().contains("SP_ADMIN_PASSWORD"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_CORS_ORIGINS", "*")))
        .getMessage().contains("never *"));
    assertTrue(assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("SP_CORS_ORIGINS", "https://boka.example.se/path"))).getMessage()
        .contains("SP_CORS_ORIGINS"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_METRICS_TOKEN", "short")))
        .getMessage().contains("at least 24"));
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{ not json");
    assertEquals("configuration file " + broken + " is not valid JSON",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(broken, Map.of())).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("missing.json"), Map.of()))
        .getMessage().startsWith("cannot read configuration file"));
  }

  @Test
  void listsComeAsJsonArraysOrCommaSeparatedVariablesAndSmtpSettingsAreChecked() {
    AppConfig defaults = ConfigLoader.load(null, Map.of());
    assertEquals(java.util.List.of(1440, 120), defaults.reminderMinutes());
    assertEquals(java.util.List.of("mobility", "hearing-or-sight", "with-infant"), defaults.priorityReasons());
    AppConfig env = ConfigLoader.load(null, Map.of("SP_MAIL_REMINDERS", "2h, 48h,90m", "SP_PRIORITY_REASONS", "elderly,mobility",
        "SP_SMTP_HOST", "smtp.kommun.se", "SP_MAIL_FROM", "Servicepunkt <no-reply@kommun.se>", "SP_SMTP_TLS", "tls"));
    assertEquals(java.util.List.of(2880, 120, 90), env.reminderMinutes());
    assertEquals(java.util.List.of("elderly", "mobility"), env.priorityReasons());
    assertEquals("tls", env.smtpTls());
    assertEquals("smtpTls (SP_SMTP_TLS) must be none, starttls or tls", assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("SP_SMTP_TLS", "ssl"))).getMessage());
    assertEquals("mailFrom (SP_MAIL_FROM) is required when smtpHost (SP_SMTP_HOST) is set", assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("SP_SMTP_HOST", "smtp.kommun.se"))).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_MAIL_REMINDERS", "tomorrow")))
        .getMessage().startsWith("mailReminders (SP_MAIL_REMINDERS) are offsets"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SP_PRIORITY_REASONS", "VIP!")))
        .getMessage().startsWith("priorityReasons (SP_PRIORITY_REASONS)"));
    assertEquals(java.util.List.of(), ConfigLoader.load(null, Map.of("SP_MAIL_REMINDERS", "")).reminderMinutes(),
        "an empty variable turns reminders off");
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertEquals("SP_HTTP_PORT", ConfigLoader.envName("httpPort"));
    assertEquals("SP_JWT_TTL_MINUTES", ConfigLoader.envName("jwtTtlMinutes"));
    assertEquals("SP_DB_URL", ConfigLoader.envName("dbUrl"));
  }
}
