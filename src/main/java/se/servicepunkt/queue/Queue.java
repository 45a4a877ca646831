package se.servicepunkt.queue;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.booking.BookingService;
import se.servicepunkt.directory.DirectoryQueries;
import se.servicepunkt.live.LiveHub;
import se.servicepunkt.video.VideoMeetings;
import se.servicepunkt.web.StreamLimits;

/**
 * The live queue feature, wired once by the composition root: its SQL, its services (tickets,
 * counters and calls, visits, access rules, changes with their events, display tokens), its
 * streams, its routes and its closing job.
 */
public final class Queue {
  private final Vertx vertx;
  private final Pool pool;
  private final Pool streamPool;
  private final LiveHub hub;
  private final Clock clock;
  private final TicketRepository tickets = new TicketRepository();
  private final QueueRoutes.Services services;
  private final Paces paces;

  /**
   * @param pool the pool of requests
   * @param streamPool the pool of event streams and background jobs (the closing job)
   * @param video null when video meetings are not set up
   */
  public Queue(Vertx vertx, Pool pool, Pool streamPool, LiveHub hub, BookingService bookings, VideoMeetings video, Clock clock,
               QueuePolicy policy, se.servicepunkt.core.Demand demand) {
    this.vertx = vertx;
    this.pool = pool;
    this.streamPool = streamPool;
    this.hub = hub;
    this.clock = clock;
    var counters = new CounterSessions();
    var waiting = new WaitingQueries();
    var directory = new DirectoryQueries();
    this.paces = new Paces(waiting, clock);
    var changes = new QueueChanges(pool, hub.store(), event -> {
      paces.committed(event);
      hub.committed(event);
    });
    var access = new QueueAccess(pool, tickets, counters, directory);
    var places = new Places(pool, waiting, paces, video, clock);
    this.services = new QueueRoutes.Services(
        new Tickets(pool, tickets, changes, access, directory, bookings, video != null, clock, policy, demand),
        places,
        new Counters(pool, counters, tickets, changes, access, clock, policy.priorityRatio()),
        new Visits(pool, tickets, changes, access, directory, clock),
        new DisplayTokens(pool, changes, access),
        access,
        new QueueStreams(vertx, streamPool, hub, tickets, counters, waiting, places, directory, hub.store(), clock),
        directory,
        policy,
        new DayBookings(pool, bookings, tickets, access, policy, clock));
  }

  public QueueRoutes routes(StaffAuth auth, String baseUrl, int heartbeatSeconds, int replayMax, StreamLimits limits) {
    return new QueueRoutes(services, hub, streamPool, auth, baseUrl, heartbeatSeconds, replayMax, limits);
  }

  /**
   * Check-in for the residents' manage page (booking's own interface, so booking need not know the
   * queue): open on the booking's day from {@code checkInEarlyMinutes} before its start.
   */
  public se.servicepunkt.booking.CheckIns checkIns() {
    return new se.servicepunkt.booking.CheckIns() {
      @Override
      public boolean open(se.servicepunkt.booking.Booking booking) {
        java.time.Instant now = clock.instant();
        java.time.Instant start = booking.start().toInstant();
        return booking.active()
            && java.time.LocalDate.ofInstant(now, booking.zone()).equals(booking.start().atZoneSameInstant(booking.zone()).toLocalDate())
            && !now.isBefore(start.minus(java.time.Duration.ofMinutes(services.policy().checkInEarlyMinutes())));
      }

      @Override
      public io.vertx.core.Future<Ticket> checkIn(String reference, String token) {
        return services.tickets().checkIn(reference, token, null)
            .map(issued -> new Ticket(issued.ticket().id(), issued.token()));
      }
    };
  }

  /** The reception screen's page, which reads the point's name with the stream pool. */
  public ScreenPages screenPages(se.servicepunkt.page.Pages pages, int heartbeatSeconds) {
    return new ScreenPages(streamPool, services.directory(), pages, heartbeatSeconds);
  }

  /** The staff's counter console {@code /staff}. */
  public ConsolePages consolePages(se.servicepunkt.page.Pages pages, int heartbeatSeconds) {
    return new ConsolePages(pages, heartbeatSeconds);
  }

  /** The visitors' pages: taking a ticket (kiosk too), the live ticket page, leaving the queue. */
  public TicketPages pages(se.servicepunkt.page.Pages pages, String baseUrl, int heartbeatSeconds) {
    return new TicketPages(pool, pages, services.tickets(), services.places(), services.directory(), services.policy(),
        clock, baseUrl, heartbeatSeconds);
  }

  /** The points' paces, kept for a second (tests count their reads). */
  Paces paces() {
    return paces;
  }

  /** The stream views and their shared reads (tests count the reads). */
  QueueStreams streams() {
    return services.streams();
  }

  /** The job that expires what is left at closing; {@link ClosingJob#start} runs it every minute. */
  public ClosingJob closingJob() {
    return new ClosingJob(vertx, streamPool, tickets, services.visits(), hub.store(), services.directory(), clock);
  }
}
