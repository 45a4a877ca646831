package se.servicepunkt.directory;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.page.Dates;
import se.servicepunkt.page.Lang;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * The residents' pages made of the public directory: the start page {@code /} (every service point
 * with its address, whether it is open now and until when, a mobile unit's next stops, the services
 * met by video, and where to book, take a ticket or find a booking), the accessibility statement
 * {@code /tillganglighet} and the privacy notice {@code /integritet} (who is controller of which
 * service). One small query per request (the directory's change counter); the directory itself is
 * kept in memory while it does not change ({@link DirectoryCache}).
 */
public final class DirectoryPages {
  /** Where the booking flow will start (issue 11, item 2); it answers 404 until it exists. */
  static final String BOOK = "/boka";
  /** Where "find my booking" will be (issue 11, item 3); it answers 404 until it exists. */
  static final String FIND_BOOKING = "/hitta-bokning";
  /** How far ahead the start page looks for a point's next opening or a mobile unit's stops. */
  private static final int DAYS_AHEAD = 60;
  private static final int STOPS_SHOWN = 3;

  private final Pool pool;
  private final Pages pages;
  private final Clock clock;
  private final ZoneId zone;
  private final String contactEmail;
  private final int retentionDays;
  private final DirectoryCache directory = new DirectoryCache();

  /**
   * @param zone the zone of "today" for the range of dates kept (each point's own zone decides its day)
   * @param contactEmail where residents write about accessibility and personal data; null: not configured
   * @param retentionDays days after an appointment when the resident's details are removed
   */
  public DirectoryPages(Pool pool, Pages pages, Clock clock, ZoneId zone, String contactEmail, int retentionDays) {
    this.pool = pool;
    this.pages = pages;
    this.clock = clock;
    this.zone = zone;
    this.contactEmail = contactEmail;
    this.retentionDays = retentionDays;
  }

  public void mount(Router root) {
    root.get("/").handler(this::start);
    root.get("/tillganglighet").handler(this::accessibility);
    root.get("/integritet").handler(this::privacy);
  }

  private io.vertx.core.Future<DirectoryOverview> overview() {
    // a day before and after the configured zone's today covers every point's own today
    LocalDate from = LocalDate.now(clock.withZone(zone)).minusDays(1);
    LocalDate to = from.plusDays(DAYS_AHEAD + 2);
    return directory.version(pool).compose(version -> directory.overview(pool, version, from, to));
  }

  private void start(RoutingContext ctx) {
    Instant now = clock.instant();
    overview().onSuccess(overview -> {
      Page page = pages.page(ctx, "start.html");
      Lang lang = page.lang();
      var points = new ArrayList<Map<String, Object>>();
      var video = new ArrayList<Map<String, Object>>();
      Set<UUID> videoServices = new LinkedHashSet<>();
      for (DirectoryOverview.Listing listing : overview.points()) {
        points.add(point(page, listing, overview.organisations(), now));
        for (Service service : listing.services()) {
          if (service.channels().contains("video") && videoServices.add(service.id())) {
            var item = new LinkedHashMap<String, Object>();
            item.put("service", name(service, lang));
            item.put("organisation", overview.organisations().get(service.organisationId()));
            item.put("bookUrl", page.link(BOOK + "?servicepunkt=" + listing.point().id() + "&tjanst=" + service.id()
                + "&kanal=video"));
            video.add(item);
          }
        }
      }
      page.title(page.t("start.title"))
          .put("points", points)
          .put("video", video)
          .put("hasVideo", !video.isEmpty())
          .put("bookUrl", page.link(BOOK))
          .put("findUrl", page.link(FIND_BOOKING))
          .send();
    }).onFailure(ctx::fail);
  }

  private Map<String, Object> point(Page page, DirectoryOverview.Listing listing, Map<UUID, String> organisations,
                                    Instant now) {
    Lang lang = page.lang();
    ServicePoint point = listing.point();
    OpeningCalendar calendar = listing.calendar();
    LocalDate today = LocalDate.ofInstant(now, point.timeZone());
    LocalDate last = today.plusDays(DAYS_AHEAD);
    OpeningCalendar.Interval open = calendar.openAt(now);
    boolean desk = listing.services().stream().anyMatch(s -> s.channels().contains("desk"));
    boolean videoOnly = !listing.services().isEmpty() && !desk;

    var view = new LinkedHashMap<String, Object>();
    view.put("id", point.id().toString());
    view.put("name", point.name());
    view.put("address", address(point.street(), point.postalCode(), point.city()));
    view.put("description", point.description());
    view.put("mobile", point.mobile());
    view.put("videoOnly", videoOnly);
    view.put("open", open != null);
    if (point.mobile()) {
      // the stop it is at now, or the next one, in the status; the ones after it listed below
      List<OpeningCalendar.Interval> stops = calendar.upcoming(now, last, STOPS_SHOWN + 1);
      if (stops.isEmpty()) {
        view.put("status", page.t("start.mobile.noStops"));
      } else {
        OpeningCalendar.Interval first = stops.get(0);
        view.put("status", open != null
            ? page.format("start.mobile.hereNow", stop(open), Dates.time(open.closes(), lang))
            : page.format("start.mobile.nextStop", stop(first),
                Dates.dateTimeRange(first.date(), first.opens(), first.closes(), lang)));
      }
      List<Map<String, String>> later = stops.stream().skip(1).map(s -> Map.of(
          "place", stop(s),
          "when", Dates.dateTimeRange(s.date(), s.opens(), s.closes(), lang))).toList();
      view.put("laterStops", later);
      view.put("hasLaterStops", !later.isEmpty());
    } else {
      view.put("status", officeStatus(page, calendar, today, last, now, open));
      var hours = calendar.day(today).intervals().stream()
          .map(i -> Dates.timeRange(i.opens(), i.closes(), lang)).toList();
      view.put("todayHours", hours.isEmpty() ? null : page.format("start.todayHours", String.join(", ", hours)));
    }
    view.put("services", listing.services().stream().map(s -> Map.of(
        "name", name(s, lang),
        "channels", s.channels().contains("desk") && s.channels().contains("video") ? page.t("start.channels.both")
            : s.channels().contains("video") ? page.t("start.channels.video") : "")).toList());
    view.put("hasServices", !listing.services().isEmpty());
    var serving = new LinkedHashSet<String>();
    serving.add(point.organisationName());
    listing.services().forEach(s -> serving.add(organisations.get(s.organisationId())));
    view.put("organisations", list(page, serving));
    view.put("bookUrl", page.link(BOOK + "?servicepunkt=" + point.id()));
    view.put("ticketUrl", open != null && desk ? page.link("/service-points/" + point.id() + "/ticket") : null);
    return view;
  }

  /**
   * "Öppet nu till 16.00"; "Stängt nu. Öppnar igen kl. 13.00"; "Stängt i dag. Öppnar i morgon kl.
   * 09.00"; "Stängt för i dag. Öppnar måndag 7 december kl. 09.00".
   */
  private static String officeStatus(Page page, OpeningCalendar calendar, LocalDate today, LocalDate last, Instant now,
                                     OpeningCalendar.Interval open) {
    Lang lang = page.lang();
    if (open != null) {
      return page.format("start.status.openUntil", Dates.time(open.closes(), lang));
    }
    OpeningCalendar.Day day = calendar.day(today);
    List<OpeningCalendar.Interval> next = calendar.upcoming(now, last, 1);
    String closed = !day.open() ? page.t("start.status.closedToday")
        : next.isEmpty() || !next.get(0).date().equals(today) ? page.t("start.status.closedForToday")
        : page.t("start.status.closedNow");
    if (next.isEmpty()) {
      return closed;
    }
    OpeningCalendar.Interval opens = next.get(0);
    String when = opens.date().equals(today) ? page.t("start.today")
        : opens.date().equals(today.plusDays(1)) ? page.t("start.tomorrow")
        : Dates.date(opens.date(), lang);
    return closed + " " + page.format("start.status.opens", when, Dates.time(opens.opens(), lang));
  }

  /** "Havdhem, Havdhems skola": the place, its street, and its town where the place does not already name it. */
  private static String stop(OpeningCalendar.Interval stop) {
    var parts = new ArrayList<String>();
    parts.add(stop.place());
    if (stop.street() != null) {
      parts.add(stop.street());
    }
    if (stop.city() != null && !stop.place().toLowerCase(java.util.Locale.ROOT)
        .contains(stop.city().toLowerCase(java.util.Locale.ROOT))) {
      parts.add(stop.city());
    }
    return String.join(", ", parts);
  }

  /** "A, B och C", "A, B and C". */
  private static String list(Page page, java.util.Collection<String> items) {
    var all = List.copyOf(items);
    if (all.size() < 2) {
      return String.join("", all);
    }
    return String.join(", ", all.subList(0, all.size() - 1)) + " " + page.t("common.and") + " " + all.get(all.size() - 1);
  }

  private static String address(String street, String postalCode, String city) {
    String town = city == null ? null : (postalCode != null ? postalCode + " " : "") + city;
    if (street == null) {
      return town;
    }
    return town == null ? street : street + ", " + town;
  }

  private static String name(Service service, Lang lang) {
    return lang == Lang.EN ? service.nameEn() : service.nameSv();
  }

  private void accessibility(RoutingContext ctx) {
    overview().onSuccess(overview -> {
      Page page = pages.page(ctx, "accessibility.html");
      page.title(page.t("accessibility.title"))
          .put("organisations", list(page, organisationsServing(overview)))
          .put("contactEmail", contactEmail)
          .send();
    }).onFailure(ctx::fail);
  }

  private void privacy(RoutingContext ctx) {
    overview().onSuccess(overview -> {
      Page page = pages.page(ctx, "privacy.html");
      Lang lang = page.lang();
      // each organisation is controller for its own services (joint operation)
      Map<UUID, Set<String>> services = new LinkedHashMap<>();
      overview.organisations().keySet().forEach(id -> services.put(id, new LinkedHashSet<>()));
      for (DirectoryOverview.Listing listing : overview.points()) {
        listing.services().forEach(s -> services.get(s.organisationId()).add(name(s, lang)));
      }
      var controllers = new ArrayList<Map<String, Object>>();
      services.forEach((id, names) -> {
        if (!names.isEmpty()) {
          controllers.add(Map.of("organisation", overview.organisations().get(id), "services", List.copyOf(names)));
        }
      });
      page.title(page.t("privacy.title"))
          .put("controllers", controllers)
          .put("retention", page.format("privacy.retention.text", retentionDays))
          .put("contactEmail", contactEmail)
          .send();
    }).onFailure(ctx::fail);
  }

  /** The organisations that serve residents at some service point, for "who stands behind this site". */
  private static Set<String> organisationsServing(DirectoryOverview overview) {
    var names = new LinkedHashSet<String>();
    for (DirectoryOverview.Listing listing : overview.points()) {
      names.add(listing.point().organisationName());
      listing.services().forEach(s -> names.add(overview.organisations().get(s.organisationId())));
    }
    return names;
  }
}
