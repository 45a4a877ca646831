package se.servicepunkt.config;

import io.vertx.core.json.JsonObject;

/**
 * The whole configuration of one server process. Every field has a JSON key in
 * {@code conf/servicepunkt.json} and an environment variable: the key in upper snake case
 * with the prefix {@code SP_} ({@code httpPort} is {@code SP_HTTP_PORT}).
 */
public record AppConfig(
    String httpHost,
    int httpPort,
    int httpInstances,
    String publicUrl,
    String dbUrl,
    int dbPoolSize,
    int dbStreamPoolSize,
    int dbWaitQueue,
    int dbAcquireTimeoutMs,
    int dbStatementTimeoutMs,
    int requestTimeoutMs,
    int requestsInFlight,
    int admissionTargetMs,
    int residentWritesPerMinute,
    int bookingsPerEmailPerHour,
    int activeBookingsPerEmail,
    int httpIdleTimeoutSeconds,
    int streamsPerTicket,
    int streamsPerDisplay,
    int streamsPerAddress,
    int streamsPerInstance,
    java.util.List<String> trustedProxies,
    java.util.List<String> corsOrigins,
    String metricsToken,
    String dataDir,
    boolean demo,
    String adminEmail,
    String adminPassword,
    String jwtSecret,
    String jwtKeyFile,
    int jwtTtlMinutes,
    int passwordCost,
    int passwordWorkers,
    int passwordMaxQueued,
    int loginMaxFailures,
    int loginLockMinutes,
    int loginFailuresPerAddress,
    int bodyLimitBytes,
    int retentionDays,
    int auditRetentionDays,
    String contactEmail,
    String timeZone,
    String videoJitsiUrl,
    String videoJitsiAppId,
    String videoJitsiSecret,
    String videoUrlTemplate,
    int checkInEarlyMinutes,
    int checkInLateMinutes,
    int priorityRatio,
    java.util.List<String> priorityReasons,
    int sseHeartbeatSeconds,
    int sseReplayMax,
    String smtpHost,
    int smtpPort,
    String smtpTls,
    String smtpUser,
    String smtpPassword,
    String mailFrom,
    java.util.List<String> mailReminders,
    int mailMaxAttempts,
    int mailRetrySeconds,
    int mailPollSeconds,
    int statsFoldSeconds) {

  /** Reads and checks a merged configuration object; a bad value is a {@link ConfigException}. */
  public static AppConfig from(JsonObject json) {
    var in = new ConfigReader(json);
    var config = new AppConfig(
        in.string("httpHost", "0.0.0.0"),
        in.integer("httpPort", 1, 65535),
        in.integer("httpInstances", 1, 64),
        in.string("publicUrl", null),
        in.string("dbUrl", null),
        in.integer("dbPoolSize", 1, 200),
        in.integer("dbStreamPoolSize", 1, 200),
        in.integer("dbWaitQueue", 0, 100_000),
        in.integer("dbAcquireTimeoutMs", 10, 60_000),
        in.integer("dbStatementTimeoutMs", 0, 3_600_000),
        in.integer("requestTimeoutMs", 100, 600_000),
        in.integer("requestsInFlight", 1, 100_000),
        in.integer("admissionTargetMs", 1, 60_000),
        in.integer("residentWritesPerMinute", 1, 1_000_000),
        in.integer("bookingsPerEmailPerHour", 1, 1_000_000),
        in.integer("activeBookingsPerEmail", 1, 1_000_000),
        in.integer("httpIdleTimeoutSeconds", 2, 3_600),
        in.integer("streamsPerTicket", 1, 1_000),
        in.integer("streamsPerDisplay", 1, 100_000),
        in.integer("streamsPerAddress", 1, 1_000_000),
        in.integer("streamsPerInstance", 1, 1_000_000),
        in.list("trustedProxies"),
        in.list("corsOrigins"),
        in.string("metricsToken", null),
        in.string("dataDir", "./data"),
        in.bool("demo"),
        in.string("adminEmail", null),
        in.string("adminPassword", null),
        in.string("jwtSecret", null),
        in.string("jwtKeyFile", null),
        in.integer("jwtTtlMinutes", 1, 24 * 60),
        in.integer("passwordCost", 4, 16),
        in.integer("passwordWorkers", 1, 64),
        in.integer("passwordMaxQueued", 1, 10_000),
        in.integer("loginMaxFailures", 1, 100),
        in.integer("loginLockMinutes", 1, 24 * 60),
        in.integer("loginFailuresPerAddress", 1, 100_000),
        in.integer("bodyLimitBytes", 1024, 16 * 1024 * 1024),
        in.integer("retentionDays", 1, 3650),
        in.integer("auditRetentionDays", 1, 3650),
        in.string("contactEmail", null),
        in.string("timeZone", "Europe/Stockholm"),
        in.string("videoJitsiUrl", null),
        in.string("videoJitsiAppId", null),
        in.string("videoJitsiSecret", null),
        in.string("videoUrlTemplate", null),
        in.integer("checkInEarlyMinutes", 0, 24 * 60),
        in.integer("checkInLateMinutes", 0, 24 * 60),
        in.integer("priorityRatio", 0, 100),
        in.list("priorityReasons"),
        in.integer("sseHeartbeatSeconds", 1, 300),
        in.integer("sseReplayMax", 0, 100_000),
        in.string("smtpHost", null),
        in.integer("smtpPort", 1, 65535),
        in.string("smtpTls", "starttls"),
        in.string("smtpUser", null),
        in.string("smtpPassword", null),
        in.string("mailFrom", null),
        in.list("mailReminders"),
        in.integer("mailMaxAttempts", 1, 100),
        in.integer("mailRetrySeconds", 1, 86_400),
        in.integer("mailPollSeconds", 1, 3_600),
        in.integer("statsFoldSeconds", 1, 3_600));
    if (!java.util.Set.of("none", "starttls", "tls").contains(config.smtpTls)) {
      throw new ConfigException("smtpTls (SP_SMTP_TLS) must be none, starttls or tls");
    }
    if ((config.smtpUser == null) != (config.smtpPassword == null)) {
      throw new ConfigException("smtpUser and smtpPassword (SP_SMTP_USER, SP_SMTP_PASSWORD) go together");
    }
    if (config.smtpHost != null && config.mailFrom == null) {
      throw new ConfigException("mailFrom (SP_MAIL_FROM) is required when smtpHost (SP_SMTP_HOST) is set");
    }
    if (config.mailFrom != null && !config.mailFrom.matches("^(.*<)?[^@<>\\s]+@[^@<>\\s]+(>)?$")) {
      throw new ConfigException("mailFrom (SP_MAIL_FROM) must be an e-mail address, optionally as 'Name <address>'");
    }
    for (String reminder : config.mailReminders) {
      if (!reminder.matches("[0-9]{1,4}[hm]")) {
        throw new ConfigException("mailReminders (SP_MAIL_REMINDERS) are offsets before the start such as 24h or 90m, not '"
            + reminder + "'");
      }
    }
    if (config.httpIdleTimeoutSeconds <= config.sseHeartbeatSeconds) {
      throw new ConfigException("httpIdleTimeoutSeconds (SP_HTTP_IDLE_TIMEOUT_SECONDS) must be longer than "
          + "sseHeartbeatSeconds (SP_SSE_HEARTBEAT_SECONDS), or idle streams are cut between two heartbeats");
    }
    for (String proxy : config.trustedProxies) {
      if (!proxy.matches("[0-9.]{7,15}|[0-9a-fA-F:.]{2,45}") || !proxy.matches(".*[.:].*")) {
        throw new ConfigException("trustedProxies (SP_TRUSTED_PROXIES) are IP addresses such as 127.0.0.1 or ::1, not '"
            + proxy + "'");
      }
    }
    for (String origin : config.corsOrigins) {
      if (!origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
        throw new ConfigException("corsOrigins (SP_CORS_ORIGINS) are origins such as https://boka.example.se "
            + "(scheme, host and port only; never *), not '" + origin + "'");
      }
    }
    if (config.metricsToken != null && config.metricsToken.length() < 24) {
      throw new ConfigException("metricsToken (SP_METRICS_TOKEN) must be at least 24 characters");
    }
    for (String reason : config.priorityReasons) {
      if (!reason.matches("[a-z][a-z0-9-]{0,39}")) {
        throw new ConfigException("priorityReasons (SP_PRIORITY_REASONS) are short codes such as 'mobility', not '" + reason + "'");
      }
    }
    try {
      java.time.ZoneId.of(config.timeZone);
    } catch (java.time.DateTimeException e) {
      throw new ConfigException("timeZone (SP_TIME_ZONE) must be an IANA time zone such as Europe/Stockholm, not '"
          + config.timeZone + "'");
    }
    if (config.dbUrl != null && !config.dbUrl.matches("^postgres(ql)?://.+")) {
      throw new ConfigException("dbUrl (SP_DB_URL) must be a postgresql:// URI");
    }
    if ((config.adminEmail == null) != (config.adminPassword == null)) {
      throw new ConfigException("adminEmail and adminPassword (SP_ADMIN_EMAIL, SP_ADMIN_PASSWORD) go together");
    }
    if (config.adminPassword != null && config.adminPassword.length() < 12) {
      throw new ConfigException("adminPassword (SP_ADMIN_PASSWORD) must have at least 12 characters");
    }
    if (config.videoJitsiUrl != null && !config.videoJitsiUrl.matches("^https?://[^\\s{}]+$")) {
      throw new ConfigException("videoJitsiUrl (SP_VIDEO_JITSI_URL) must be an http(s) URL");
    }
    if ((config.videoJitsiAppId == null) != (config.videoJitsiSecret == null)) {
      throw new ConfigException("videoJitsiAppId and videoJitsiSecret (SP_VIDEO_JITSI_APP_ID, SP_VIDEO_JITSI_SECRET) go together");
    }
    if (config.contactEmail != null && !config.contactEmail.matches("[^@<>\\s]+@[^@<>\\s]+\\.[^@<>\\s]+")) {
      throw new ConfigException("contactEmail (SP_CONTACT_EMAIL) must be an e-mail address such as tillganglighet@kommun.se");
    }
    if (config.videoUrlTemplate != null && !config.videoUrlTemplate.contains("{room}")) {
      throw new ConfigException("videoUrlTemplate (SP_VIDEO_URL_TEMPLATE) must contain {room}");
    }
    return config;
  }

  /** The reminder offsets in minutes before the start, largest first. */
  public java.util.List<Integer> reminderMinutes() {
    return mailReminders.stream()
        .map(r -> Integer.parseInt(r.substring(0, r.length() - 1)) * (r.endsWith("h") ? 60 : 1))
        .distinct().sorted(java.util.Comparator.reverseOrder()).toList();
  }

  /** The zone of new service points, and of "today" where no service point says otherwise. */
  public java.time.ZoneId zone() {
    return java.time.ZoneId.of(timeZone);
  }

  /** The URL residents and staff reach this server at, without a trailing slash. */
  public String baseUrl() {
    String url = publicUrl != null ? publicUrl : "http://localhost:" + httpPort;
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
