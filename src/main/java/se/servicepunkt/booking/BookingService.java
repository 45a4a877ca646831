package se.servicepunkt.booking;

import se.servicepunkt.core.Secrets;
import se.servicepunkt.video.VideoMeetings;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.db.CountedCache;
import se.servicepunkt.directory.DirectoryCache;
import se.servicepunkt.directory.OpeningCalendar;
import se.servicepunkt.directory.Service;
import se.servicepunkt.directory.ServicePoint;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.SqlStates;
import se.servicepunkt.core.Times;

/**
 * Free times and the bookings that take them. Every check that can be made before writing is
 * made first (offered, channel, notice, horizon, on the slot grid, inside opening hours); then
 * one statement takes a free member of staff, and the exclusion constraint settles races: a
 * loser retries with the next free person or gets 409.
 */
public final class BookingService {
  static final int MAX_RANGE_DAYS = 62;
  private static final int ATTEMPTS = 8;
  /** Errors a booking that lost a race gets: another booking took the time, a deadlock, a clash of references. */
  private static final java.util.Set<String> RACES = java.util.Set.of(SqlStates.EXCLUSION, SqlStates.DEADLOCK, SqlStates.UNIQUE);

  /** A checked request for a new booking. */
  public record Request(UUID servicePointId, UUID serviceId, String channel, OffsetDateTime start, String name,
                        String email, String phone, String language) {
  }

  /** The point, service and slot a request or reschedule asks for, after every check. */
  record Placement(ServicePoint point, Service service, Instant start, Instant end) {
  }

  private final Pool pool;
  private final BookingRepository bookings = new BookingRepository();
  private final BusyTimes busyTimes;
  private final DirectoryCache directoryCache;
  private final ManageTokens tokens;
  private final BookingDetails details;
  private final List<Runnable> afterChange = new CopyOnWriteArrayList<>();
  private final VideoMeetings video;
  private final Clock clock;
  private final String baseUrl;
  private final EmailAllowance allowance;
  private final se.servicepunkt.core.Demand demand;

  /**
   * @param perEmailPerHour         bookings and look-ups one e-mail address may make an hour
   * @param activePerEmailAndService active future bookings one address may hold of one service
   */
  public BookingService(Pool pool, VideoMeetings video, Clock clock, String baseUrl, ManageTokens tokens,
                        BookingDetails details, int perEmailPerHour, int activePerEmailAndService,
                        se.servicepunkt.core.Demand demand) {
    this.demand = demand;
    this.allowance = new EmailAllowance(perEmailPerHour, activePerEmailAndService);
    this.pool = pool;
    this.tokens = tokens;
    this.details = details;
    this.video = video;
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.busyTimes = new BusyTimes(bookings);
    this.directoryCache = new DirectoryCache();
  }

  /** The free start times of a service at a point on a channel, with the point and service they were read for. */
  public record Offer(ServicePoint point, Service service, String channel, List<Slots.Slot> slots) {
  }

  /** Free start times from {@code from} to {@code to} (local dates at the point, inclusive). */
  public Future<JsonObject> availability(UUID pointId, UUID serviceId, String channel, LocalDate from, LocalDate to) {
    return free(pointId, serviceId, channel, from, to).map(offer -> new JsonObject()
        .put("servicePointId", offer.point().id().toString())
        .put("serviceId", offer.service().id().toString())
        .put("channel", channel)
        .put("timeZone", offer.point().timeZone().getId())
        .put("from", from.toString())
        .put("to", to.toString())
        .put("durationMinutes", offer.service().durationMinutes())
        .put("slots", new JsonArray(offer.slots().stream().map(slot -> new JsonObject()
            .put("start", Times.iso(slot.start()))
            .put("end", Times.iso(slot.end()))
            .put("date", slot.start().toLocalDate().toString())
            .put("time", Times.hhmm(slot.start().toLocalTime()))).toList())));
  }

  /**
   * The free start times from {@code from} to {@code to} (local dates at the point, inclusive), as
   * the residents' pages list them; 422 when the point does not offer the service on the channel.
   */
  public Future<Offer> free(UUID pointId, UUID serviceId, String channel, LocalDate from, LocalDate to) {
    return load(pointId, serviceId, channel, false).compose(ps -> {
      ServicePoint point = ps.point();
      Service service = ps.service();
      Instant now = clock.instant();
      Instant rangeStart = from.atStartOfDay(point.timeZone()).toInstant();
      Instant rangeEnd = to.plusDays(1).atStartOfDay(point.timeZone()).toInstant();
      var calendar = directoryCache.calendar(pool, ps.directoryVersion(), point, from, to);
      var shifts = bookings.shifts(pool, point.id(), service.id(), channel, rangeStart, rangeEnd);
      var version = busyTimes.version(pool);
      return Future.all(calendar, shifts, version)
          .compose(all -> busyTimes.busy(pool, version.result(),
                  shifts.result().stream().map(Slots.Span::staffId).distinct().toList(), rangeStart, rangeEnd)
              .map(busy -> Slots.free(calendar.result().days(from, (int) (to.toEpochDay() - from.toEpochDay()) + 1),
                  point.timeZone(), Duration.ofMinutes(service.durationMinutes()), shifts.result(), busy,
                  earliest(service, now), latest(point, service, now))))
          .map(slots -> {
            int daysAhead = (int) (from.toEpochDay() - LocalDate.ofInstant(now, point.timeZone()).toEpochDay());
            demand.count(se.servicepunkt.core.Demand.SEARCH, point.id(), point.timeZone(), service.id(), channel, daysAhead);
            if (slots.isEmpty()) {
              demand.count(se.servicepunkt.core.Demand.SEARCH_EMPTY, point.id(), point.timeZone(), service.id(), channel,
                  daysAhead);
            }
            return new Offer(point, service, channel, List.copyOf(slots));
          });
    });
  }

  /** Every service point with the services offered there (for the booking pages' first questions). */
  public Future<List<se.servicepunkt.directory.DirectoryOverview.Listing>> listings() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
    return directoryCache.version(pool).compose(version -> directoryCache.overview(pool, version, today, today))
        .map(se.servicepunkt.directory.DirectoryOverview::points);
  }

  /** The last local date at the point a service can be booked on (today plus its horizon). */
  public LocalDate lastBookableDay(ServicePoint point, Service service) {
    return LocalDate.ofInstant(clock.instant(), point.timeZone()).plusDays(service.horizonDays());
  }

  /** Today at the point. */
  public LocalDate today(ServicePoint point) {
    return LocalDate.ofInstant(clock.instant(), point.timeZone());
  }

  /**
   * "Find my booking": the booking with this reference, if {@code email} is its e-mail address
   * (ignoring case and spaces around it), with its manage token; else 404, the same for a
   * reference that does not exist and an address that does not match, so neither can be guessed.
   */
  public Future<Found> find(String reference, String email) {
    String wanted = email == null ? "" : email.strip();
    String ref = reference == null ? "" : reference.strip().toUpperCase(java.util.Locale.ROOT);
    if (!ref.matches("[A-Z0-9]{4}-?[A-Z0-9]{4}")) {
      return Future.failedFuture(Problem.notFound(BookingRepository.WHAT));
    }
    String normalised = ref.length() == 8 ? ref.substring(0, 4) + "-" + ref.substring(4) : ref;
    return allowance.take(wanted)
        .compose(allowed -> bookings.byReference(pool, normalised))
        .compose(booking -> booking.email() != null && booking.email().strip().equalsIgnoreCase(wanted)
            ? Future.succeededFuture(new Found(booking, tokens.forBooking(booking.id())))
            : Future.failedFuture(Problem.notFound(BookingRepository.WHAT)));
  }

  /** A booking found by reference and e-mail, with the token of its manage link. */
  public record Found(Booking booking, String token) {
  }

  /** The server-secret keys of this feature (manage tokens, the booking pages' sealed answers). */
  ManageTokens tokens() {
    return tokens;
  }

  /** Writes this instance's settings where the database's triggers read them (at start-up). */
  public Future<Void> writeSettings() {
    return allowance.writeSetting(pool);
  }

  /** Books; with an idempotency claim, a retry gets the first answer. */
  public Future<Idempotency.Answer> book(Request request, Idempotency idempotency, UUID createdBy) {
    if ("video".equals(request.channel()) && video == null) {
      return Future.failedFuture(Problem.conflict("Video meetings are not set up on this server."));
    }
    boolean resident = createdBy == null;
    return (resident ? allowance.take(request.email()) : Future.<Void>succeededFuture())
        .compose(allowed -> load(request.servicePointId(), request.serviceId(), request.channel(), true))
        .compose(ps -> place(ps, request.start().toInstant(), "start"))
        .compose(placement -> lostSlotCounted(placement, request.channel(), retrying(() -> idempotency != null
            ? pool.withTransaction(tx -> idempotency.claim(tx).compose(previous -> previous != null
                ? Future.succeededFuture(previous)
                : insert(tx, placement, request, createdBy).compose(answer -> idempotency.complete(tx, answer))))
            : insert(pool, placement, request, createdBy))
            .andThen(done -> busyTimes.changed())
            .onSuccess(done -> changed())));
  }

  /**
   * Who to tell after a booking change has committed on this instance (e.g. the e-mail worker,
   * whose outbox the change has filled).
   */
  public void afterChange(Runnable action) {
    afterChange.add(action);
  }

  private void changed() {
    afterChange.forEach(Runnable::run);
  }

  /** Inserts; a resident's booking within the address's cap of coming bookings of the service (409 beyond it). */
  private Future<Idempotency.Answer> insert(io.vertx.sqlclient.SqlClient tx, Placement p, Request r, UUID createdBy) {
    UUID id = UUID.randomUUID();
    String token = tokens.forBooking(id);
    var fresh = new BookingRepository.NewBooking(id, Secrets.reference(), Secrets.sha256(token), p.point().id(),
        p.service().id(), r.channel(), p.start(), p.end(), r.language(), r.name(), r.email(), r.phone(),
        "video".equals(r.channel()) ? Secrets.room() : null, createdBy);
    return bookings.insert(tx, fresh, clock.instant())
        .recover(SqlStates.on(EmailAllowance.OVER_CAP, allowance::fullProblem))
        .compose(booking -> booking != null
            ? Future.succeededFuture(new Idempotency.Answer(201, view(booking, token).put("manageToken", token)))
            : Future.failedFuture(Problem.conflict("That time is no longer available; ask for availability again.")));
  }

  /** The booking, if {@code token} is its manage token or the caller is staff of its organisation; else 404. */
  public Future<Booking> authorised(String reference, String token, Caller caller) {
    return bookings.byReference(pool, reference).compose(booking -> {
      boolean staff = caller != null && caller.belongsTo(booking.organisationId());
      return staff || Secrets.matches(token, booking.tokenHash())
          ? Future.succeededFuture(booking)
          : Future.failedFuture(Problem.notFound(BookingRepository.WHAT));
    });
  }

  /** Cancels: residents before the service's cut-off, staff of the organisation at any time. */
  public Future<Booking> cancel(Booking booking, Caller caller) {
    if (!booking.active()) {
      return Future.failedFuture(Problem.conflict("The booking is already cancelled."));
    }
    if (caller == null && !booking.changeableBy(clock.instant())) {
      return Future.failedFuture(Problem.conflict(
          "It is too late to cancel online; please contact the service point."));
    }
    return pool.withTransaction(tx -> bookings.cancel(tx, booking.id(), clock.instant(),
            caller == null ? "resident" : "staff")
            .compose(v -> bookings.byId(tx, booking.id())))
        .andThen(done -> busyTimes.changed())
        .onSuccess(done -> changed());
  }

  /** Moves to a new start: the new time is taken and the old one released in one change, or nothing changes. */
  public Future<Booking> reschedule(Booking booking, OffsetDateTime start, Caller caller) {
    if (!booking.active()) {
      return Future.failedFuture(Problem.conflict("A cancelled booking cannot be moved."));
    }
    if (caller == null && !booking.changeableBy(clock.instant())) {
      return Future.failedFuture(Problem.conflict("It is too late to move this booking online; please contact the service point."));
    }
    return load(booking.servicePointId(), booking.serviceId(), booking.channel(), true)
        .compose(ps -> place(ps, start.toInstant(), "start"))
        .compose(p -> lostSlotCounted(p, booking.channel(), retrying(() -> pool.withTransaction(tx -> bookings.move(tx, booking, p.start(), p.end(), clock.instant())
            .compose(moved -> moved
                ? bookings.byId(tx, booking.id())
                : Future.failedFuture(Problem.conflict(
                    "That time is no longer available; your booking is unchanged.")))))
            .andThen(done -> busyTimes.changed())
            .onSuccess(done -> changed())));
  }

  /** Counts, as unmet demand, a booking or move that ended in 409 because its time was gone. */
  private <T> Future<T> lostSlotCounted(Placement p, String channel, Future<T> attempt) {
    return attempt.onFailure(e -> {
      if (e instanceof Problem problem && problem.status() == 409 && problem.getMessage() != null
          && problem.getMessage().contains("no longer available")) {
        demand.count(se.servicepunkt.core.Demand.SLOT_LOST, p.point().id(), p.point().timeZone(), p.service().id(),
            channel, -1);
      }
    });
  }

  /** Bookings for staff: their organisation's services (all for a system administrator). */
  public Future<JsonArray> list(Caller caller, UUID point, LocalDate from, LocalDate to) {
    UUID organisation = caller.isSysadmin() ? null : caller.organisationId();
    return bookings.list(pool, organisation, point, from, to)
        .map(list -> new JsonArray(list.stream().map(b -> view(b, null)).toList()));
  }

  /**
   * The active bookings at a point on a local day there, of every organisation serving at it (the
   * counter console's list of the day; the caller decides what of each it shows to whom).
   */
  public Future<List<Booking>> activeAt(UUID point, LocalDate day) {
    return bookings.list(pool, null, point, day, day).map(list -> list.stream().filter(Booking::active).toList());
  }

  /** What the caller sees: staff also see the details other features keep (e.g. each e-mail and its delivery). */
  public Future<JsonObject> viewFor(Booking booking, String token, Caller caller) {
    JsonObject view = view(booking, token);
    return caller == null ? Future.succeededFuture(view) : details.addTo(booking, view);
  }

  /** What the resident and staff see of a booking. */
  public JsonObject view(Booking booking, String token) {
    return booking.toJson(clock.instant(), videoLink(booking), manageUrl(booking, token));
  }

  public String calendar(Booking booking, String token) {
    return CalendarFile.of(booking, booking.active() ? CalendarFile.Method.PUBLISH : CalendarFile.Method.CANCEL,
        videoLink(booking), manageUrl(booking, token), java.net.URI.create(baseUrl).getHost());
  }

  /** Whether the resident may still cancel or move it themself. */
  public boolean changeable(Booking booking) {
    return booking.changeableBy(clock.instant());
  }

  /** The bookings with these ids (for e-mails). */
  public Future<List<Booking>> bookings(List<UUID> ids) {
    return bookings.byIds(pool, ids);
  }

  /** The manage link with the booking's token, for e-mails. */
  public String manageLink(Booking booking) {
    return manageUrl(booking, tokens.forBooking(booking.id()));
  }

  /** The meeting link of a video booking, else null. */
  public String meetingLink(Booking booking) {
    return videoLink(booking);
  }

  /** The calendar file an e-mail carries: an invitation, or its cancellation. */
  public String invitation(Booking booking, boolean cancel, String organizerEmail) {
    return CalendarFile.of(booking, cancel ? CalendarFile.Method.CANCEL : CalendarFile.Method.REQUEST,
        videoLink(booking), manageLink(booking), java.net.URI.create(baseUrl).getHost(), organizerEmail);
  }

  String videoLink(Booking booking) {
    return booking.video() && video != null
        ? video.link(booking.videoRoom(), booking.start().toInstant(), booking.end().toInstant())
        : null;
  }

  String manageUrl(Booking booking, String token) {
    return baseUrl + "/manage/" + booking.reference() + (token == null ? "" : "?token=" + token);
  }

  /** The point and service, both known, the service offered there on that channel; 422 otherwise. */
  private Future<PointAndService> load(UUID pointId, UUID serviceId, String channel, boolean body) {
    return directoryCache.version(pool).compose(version -> directoryCache.pointAndService(pool, version, pointId, serviceId)
        .compose(found -> {
      var in = se.servicepunkt.core.Input.of(new JsonObject());
      String pointField = body ? "servicePointId" : "servicePoint";
      String serviceField = body ? "serviceId" : "service";
      in.check(found.point() != null, pointField, "is not a known service point");
      in.check(found.service() != null, serviceField, "is not a known service");
      if (found.point() != null && found.service() != null) {
        in.check(found.offered(), serviceField, "is not offered at that service point");
        in.check(!found.offered() || found.service().channels().contains(channel), "channel", "is not offered for that service");
      }
      in.done();
      return Future.succeededFuture(new PointAndService(found.point(), found.service(), version));
    }));
  }

  /** A checked point and service, and the directory version they were read at. */
  record PointAndService(ServicePoint point, Service service, CountedCache.Version directoryVersion) {
  }

  /** Checks a wanted start against notice, horizon and the slot grid of that day's opening hours. */
  private Future<Placement> place(PointAndService ps, Instant start, String field) {
    ServicePoint point = ps.point();
    Service service = ps.service();
    Instant now = clock.instant();
    if (!start.isAfter(now)) {
      return Future.failedFuture(Problem.invalid(field, "must be in the future"));
    }
    if (start.isBefore(earliest(service, now))) {
      return Future.failedFuture(Problem.invalid(field,
          "is too soon: this service is booked at least " + service.minNoticeMinutes() + " minutes ahead"));
    }
    if (!start.isBefore(latest(point, service, now))) {
      return Future.failedFuture(Problem.invalid(field,
          "is too far ahead: this service is booked at most " + service.horizonDays() + " days ahead"));
    }
    LocalDate date = start.atZone(point.timeZone()).toLocalDate();
    Duration duration = Duration.ofMinutes(service.durationMinutes());
    return directoryCache.calendar(pool, ps.directoryVersion(), point, date, date).compose(calendar -> {
      OpeningCalendar.Day day = calendar.day(date);
      return Slots.onGrid(day, point.timeZone(), duration, start)
          ? Future.succeededFuture(new Placement(point, service, start, start.plus(duration)))
          : Future.failedFuture(Problem.invalid(field, "is not a bookable time at this service point"));
    });
  }

  private static Instant earliest(Service service, Instant now) {
    return now.plus(Duration.ofMinutes(service.minNoticeMinutes()));
  }

  /** The start of the day after the last bookable local date (today plus the horizon). */
  private Instant latest(ServicePoint point, Service service, Instant now) {
    return LocalDate.ofInstant(now, point.timeZone()).plusDays(service.horizonDays() + 1L)
        .atStartOfDay(point.timeZone()).toInstant();
  }

  /**
   * Runs {@code attempt} again when it lost a race: the exclusion constraint (someone took that
   * person meanwhile), a deadlock (two inserts of overlapping times for one person can each wait
   * for the other's index entry, and PostgreSQL cancels one), or a reference that happened to exist.
   */
  private static <T> Future<T> retrying(Supplier<Future<T>> attempt) {
    return retrying(attempt, ATTEMPTS);
  }

  private static <T> Future<T> retrying(Supplier<Future<T>> attempt, int left) {
    return attempt.get().recover(e -> {
      boolean raced = SqlStates.is(e, RACES);
      if (raced && left > 1) {
        return retrying(attempt, left - 1);
      }
      return Future.failedFuture(raced
          ? Problem.conflict("That time is no longer available; ask for availability again.")
          : e);
    });
  }
}
