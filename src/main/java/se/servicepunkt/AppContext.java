package se.servicepunkt;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import se.servicepunkt.auth.LoginService;
import se.servicepunkt.booking.BookingService;
import se.servicepunkt.auth.Passwords;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.auth.Tokens;
import se.servicepunkt.config.AppConfig;
import se.servicepunkt.live.LiveHub;
import se.servicepunkt.page.Pages;
import se.servicepunkt.queue.Queue;
import se.servicepunkt.web.StreamLimits;

/**
 * What the composition root builds once and hands to the route classes: {@code pool} serves
 * requests, {@code streamPool} event streams and background jobs; {@code pages} is the page toolkit
 * (templates, words, static files), read once at start-up.
 */
public record AppContext(
    Vertx vertx,
    AppConfig config,
    java.time.Clock clock,
    Pool pool,
    Pool streamPool,
    StreamLimits streamLimits,
    se.servicepunkt.web.RequestLimit requestLimit,
    se.servicepunkt.web.AddressRateLimit residentWrites,
    se.servicepunkt.audit.AuditLog audit,
    PrometheusMeterRegistry metrics,
    Passwords passwords,
    Tokens tokens,
    StaffAuth staffAuth,
    LoginService logins,
    BookingService bookings,
    Queue queue,
    LiveHub live,
    Pages pages,
    se.servicepunkt.stats.Stats stats) {
}
