package se.servicepunkt;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import java.net.BindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.auth.LoginService;
import se.servicepunkt.auth.Passwords;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.auth.Tokens;
import se.servicepunkt.booking.BookingService;
import se.servicepunkt.booking.ManageTokens;
import se.servicepunkt.mail.BookingMessages;
import se.servicepunkt.mail.MailOutbox;
import se.servicepunkt.mail.MailWorker;
import se.servicepunkt.booking.RetentionJob;
import se.servicepunkt.video.VideoMeetings;
import java.time.Clock;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.db.Database;
import se.servicepunkt.live.EventStore;
import se.servicepunkt.live.LiveHub;
import se.servicepunkt.queue.Queue;
import se.servicepunkt.queue.QueuePolicy;
import se.servicepunkt.demo.Bootstrap;
import se.servicepunkt.page.Pages;
import se.servicepunkt.web.StreamLimits;

/**
 * The composition root: configuration → database and migrations → Vert.x, the two pools (requests;
 * streams and background jobs) and services →
 * first administrator and demo data → HTTP servers. {@link #start} blocks; call it from
 * {@code main} or a test, never from an event loop.
 */
public final class Servicepunkt implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Servicepunkt.class);
  /** How often each instance re-reads the queue events of its streams' points even without a notification. */
  private static final int LIVE_POLL_SECONDS = 10;
  /** How long start-up waits for the database to give its pools their first connection. */
  private static final java.time.Duration STARTUP_CONNECT = java.time.Duration.ofSeconds(30);

  private final Database database;
  private final Vertx vertx;
  private final Pool pool;
  private final AppContext app;

  private Servicepunkt(Database database, AppContext app) {
    this.database = database;
    this.vertx = app.vertx();
    this.pool = app.pool();
    this.app = app;
  }

  public static Servicepunkt start(AppConfig config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts with {@code clock} as the time of every business decision (tests move it). */
  public static Servicepunkt start(AppConfig config, Clock clock) {
    String secret = TokenSecret.jwtSecret(config);
    Database database = Database.open(config);
    var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    Pool pool = database.requestPool(vertx, config);
    Pool streamPool = database.streamPool(vertx, config);
    try {
      Database.awaitFirstConnection(pool, STARTUP_CONNECT);
      Database.awaitFirstConnection(streamPool, STARTUP_CONNECT);
      // A sign-in waits for the password workers at most half the request timeout, so that one
      // admitted is answered before its request times out, and no hash is spent on one that has.
      var passwords = new Passwords(vertx, config.passwordCost(), config.passwordWorkers(),
          config.passwordMaxQueued(), config.requestTimeoutMs() / 2);
      var tokens = new Tokens(vertx, secret, config.jwtTtlMinutes());
      var staffAuth = new StaffAuth(tokens, pool);
      var audit = new se.servicepunkt.audit.AuditLog(pool, ApiRouter.API, config.auditRetentionDays());
      var logins = new LoginService(pool, passwords, tokens, config.loginMaxFailures(), config.loginLockMinutes(),
          config.loginFailuresPerAddress());
      var video = VideoMeetings.from(vertx, config);
      var outbox = new MailOutbox(config.reminderMinutes(), java.net.URI.create(config.baseUrl()).getHost());
      var stats = new se.servicepunkt.stats.Stats(vertx, pool, streamPool, clock, config.zone(),
          config.statsFoldSeconds());
      var demand = stats.demand();
      var bookings = new BookingService(pool, video, clock, config.baseUrl(), new ManageTokens(secret),
          new BookingMessages(pool, outbox), config.bookingsPerEmailPerHour(), config.activeBookingsPerEmail(), demand);
      var events = new EventStore();
      var live = new LiveHub(vertx, streamPool, database.connectOptions(), events, LIVE_POLL_SECONDS);
      io.micrometer.core.instrument.Gauge.builder("servicepunkt_live_streams", live, LiveHub::streams)
          .description("Event streams (screens, visitors, consoles) held by this instance").register(registry);
      var queue = new Queue(vertx, pool, streamPool, live, bookings, video, clock, new QueuePolicy(
          config.checkInEarlyMinutes(), config.checkInLateMinutes(), config.priorityRatio(), config.priorityReasons()),
          demand);
      var door = new se.servicepunkt.web.RequestLimit(config.requestsInFlight(), config.admissionTargetMs());
      io.micrometer.core.instrument.Gauge.builder("servicepunkt_request_limit", door, se.servicepunkt.web.RequestLimit::limit)
          .description("API requests this instance lets in at once now (shrinks while requests queue)").register(registry);
      io.micrometer.core.instrument.Gauge.builder("servicepunkt_requests_in_progress", door,
          se.servicepunkt.web.RequestLimit::inProgress).description("API requests in progress on this instance").register(registry);
      var app = new AppContext(vertx, config, clock, pool, streamPool, StreamLimits.from(config),
          door,
          new se.servicepunkt.web.AddressRateLimit(config.residentWritesPerMinute(),
              new se.servicepunkt.web.ClientAddress(config.trustedProxies()), staffAuth::isStaff),
          audit, registry, passwords, tokens, staffAuth,
          logins,
          bookings, queue, live, Pages.load(config.baseUrl()), stats);
      new Bootstrap(pool, passwords).run(config).await();
      outbox.writeSettings(pool).await();
      bookings.writeSettings().await();
      live.start().await();
      vertx.deployVerticle(() -> new HttpVerticle(app), new DeploymentOptions().setInstances(config.httpInstances()))
          .await();
      new RetentionJob(vertx, streamPool, config.retentionDays()).start();
      new se.servicepunkt.queue.TicketRetention(vertx, streamPool, config.retentionDays()).start();
      audit.startPruning(vertx, streamPool);
      se.servicepunkt.core.Hourly.run(vertx, () -> logins.prune(streamPool)
          .onFailure(e -> LOG.warn("Pruning sign-in failures and old devices failed: {}", e.getMessage())));
      queue.closingJob().start();
      stats.fold().start();
      new MailWorker(vertx, streamPool, outbox, bookings, clock, config, registry).start();
      LOG.info("Servicepunkt listening on port {}", config.httpPort());
      return new Servicepunkt(database, app);
    } catch (Exception e) {
      close(vertx, database);
      if (rootCause(e) instanceof BindException) {
        throw new StartupException("port " + config.httpPort() + " is already in use", e);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new StartupException("start-up failed: " + e.getMessage(), e);
    }
  }

  public int port() {
    return app.config().httpPort();
  }

  public AppContext app() {
    return app;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  @Override
  public void close() {
    close(vertx, database);
  }

  private static void close(Vertx vertx, Database database) {
    try {
      vertx.close().await();
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
    }
    database.close();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
