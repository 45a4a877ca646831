package se.servicepunkt.demo;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.auth.Passwords;
import se.servicepunkt.directory.MobileStop;
import se.servicepunkt.directory.OpeningCalendar;
import se.servicepunkt.directory.OpeningException;
import se.servicepunkt.directory.WeeklyHours;

/**
 * Demo data modelled on real Swedish service points, seeded into an empty database in demo mode:
 * Region Gotland's service point in Hemse town hall and its mobile "Service på hjul", the citizens'
 * office in Sätra shared by the City of Stockholm and Försäkringskassan, and Västerås' contact
 * centre that meets residents by video only. Staff, skills and shifts for the coming four weeks,
 * every public holiday of the coming year as a closed day, and the offices' statistics of the last
 * {@value DemoHistory#DAYS} days ({@link DemoHistory}).
 */
public final class DemoData {
  private static final Logger LOG = LoggerFactory.getLogger(DemoData.class);
  public static final String PASSWORD = "servicepunkt-demo";
  static final ZoneId ZONE = ZoneId.of("Europe/Stockholm");
  static final int SHIFT_DAYS = 28;

  /** The demo sign-ins, in the order they are printed. */
  static final List<String[]> SIGN_INS = List.of(
      new String[] {"admin@servicepunkt.example", "system administrator"},
      new String[] {"admin@gotland.example", "admin, Region Gotland (Hemse, Service på hjul)"},
      new String[] {"admin@stockholm.example", "admin, Stockholms stad (Medborgarkontor Sätra)"},
      new String[] {"admin@forsakringskassan.example", "admin, Försäkringskassan (member at Sätra)"},
      new String[] {"admin@vasteras.example", "admin, Västerås stad (video contact centre)"},
      new String[] {"chef@stockholm.example", "manager, Stockholms stad (statistics: /staff/stats)"},
      new String[] {"lena.lind@gotland.example", "staff, information desk and library in Hemse"},
      new String[] {"demo@gotland.example", "staff, Demolobbyn (open around the clock; Lucka 1-3)"});

  /** The demo lobby: open around the clock, so that a newcomer can take and call tickets at any hour. */
  public static final String LOBBY_NAME = "Demolobbyn (demo)";
  /** Its id, fixed so that the start-up can print the screen's address. */
  public static final UUID LOBBY_ID = UUID.fromString("6d656d6f-6c6f-4262-8279-000000000001");
  public static final String LOBBY_DISPLAY_TOKEN = "demo-screen-lobby";

  /** Display tokens of the demo's reception screens, documented in the README (demo data only). */
  public static final Map<String, String> DISPLAY_TOKENS = Map.of(
      "Hemse servicepunkt", "demo-screen-hemse",
      "Medborgarkontor Sätra", "demo-screen-satra",
      LOBBY_NAME, LOBBY_DISPLAY_TOKEN);

  private final Passwords passwords;
  private final LocalDate today;
  private final List<Tuple> organisations = new ArrayList<>();
  private final List<Tuple> points = new ArrayList<>();
  private final List<Tuple> members = new ArrayList<>();
  private final List<Tuple> services = new ArrayList<>();
  private final List<Tuple> offerings = new ArrayList<>();
  private final List<Tuple> counters = new ArrayList<>();
  private final List<Tuple> hours = new ArrayList<>();
  private final List<Tuple> exceptions = new ArrayList<>();
  private final List<Tuple> stops = new ArrayList<>();
  private final List<Tuple> staff = new ArrayList<>();
  private final List<Tuple> skills = new ArrayList<>();
  private final List<Tuple> shifts = new ArrayList<>();
  private final List<Tuple> displays = new ArrayList<>();
  private DemoHistory history;

  public DemoData(Passwords passwords) {
    this(passwords, LocalDate.now(ZONE));
  }

  DemoData(Passwords passwords, LocalDate today) {
    this.passwords = passwords;
    this.today = today;
  }

  /** Seeds the demo data unless there already is an organisation. Run it inside a transaction. */
  public Future<Void> seedIfEmpty(SqlConnection tx) {
    return tx.query("SELECT count(*) FROM organisation").execute()
        .compose(rows -> rows.iterator().next().getLong(0) > 0
            ? Future.succeededFuture()
            : passwords.hash(PASSWORD).compose(hash -> insert(tx, plan(hash))));
  }

  public static String signInsText() {
    var text = new StringBuilder("  demo sign-ins (password \"" + PASSWORD + "\"):\n");
    SIGN_INS.forEach(s -> text.append(String.format("    %-36s %s%n", s[0], s[1])));
    return text.toString().stripTrailing();
  }

  /** Where the demo lobby's reception screen is, and its display token, for the start-up's output. */
  public static String screenText(String baseUrl) {
    return "  reception screen of " + LOBBY_NAME + ": " + baseUrl + "/screen/" + LOBBY_ID
        + "  (display token \"" + LOBBY_DISPLAY_TOKEN + "\")";
  }

  /** Where the counter console is, and whom to sign in as, for the start-up's output. */
  public static String consoleText(String baseUrl) {
    return "  counter console: " + baseUrl + "/staff  (sign in as demo@gotland.example, choose " + LOBBY_NAME + ")";
  }

  private DemoData plan(String hash) {
    this.history = null;
    UUID gotland = organisation("Region Gotland");
    UUID stockholm = organisation("Stockholms stad");
    UUID fk = organisation("Försäkringskassan");
    UUID vasteras = organisation("Västerås stad");
    account(null, "admin@servicepunkt.example", "Systemadministratör", hash, List.of(), "sysadmin");

    var weekdays = week(LocalTime.of(9, 0), LocalTime.of(16, 0), Map.of(DayOfWeek.THURSDAY, LocalTime.of(19, 0)));
    UUID hemse = point(gotland, "Hemse servicepunkt", "office", "Storgatan 34", "623 31", "Hemse",
        "Regionens informationsdisk och bibliotekets tjänster i kommunhuset i Hemse. Kvällsöppet på torsdagar.",
        weekdays, "Disk 1", "Disk 2", "Videorum 1");
    UUID info = service(gotland, "Regional informationsdisk", "Regional information desk", "A", 20, "desk", "video");
    UUID library = service(gotland, "Bibliotekstjänster", "Library services", "B", 15, "desk");
    offer(hemse, info, library);

    UUID wheels = point(gotland, "Service på hjul", "mobile", null, null, null,
        "Regionens mobila servicepunkt besöker byarna på södra och östra Gotland på fasta dagar.",
        List.of(), "Bussens disk");
    offer(wheels, info, library);
    var stopPlan = stopPlan();

    var satraHours = week(LocalTime.of(8, 30), LocalTime.of(16, 30), Map.of());
    UUID satra = point(stockholm, "Medborgarkontor Sätra", "office", "Sätra torg 13", "127 48", "Skärholmen",
        "Stadens medborgarkontor, där Försäkringskassan också tar emot besök.", satraHours,
        "Disk 1", "Disk 2", "Disk 3", "Disk 4");
    members.add(Tuple.of(satra, fk));
    UUID social = service(stockholm, "Socialtjänst – råd och stöd", "Social services – advice and support", "S", 45, "desk");
    UUID eservices = service(stockholm, "Hjälp med e-tjänster", "Help with e-services", "E", 20, "desk");
    UUID visit = service(fk, "Försäkringskassan – personligt besök", "Social Insurance Agency – personal visit", "F", 30, "desk");
    offer(satra, social, eservices, visit);

    var centreHours = week(LocalTime.of(8, 0), LocalTime.of(17, 0), Map.of());
    UUID centre = point(vasteras, "Kontaktcenter Västerås – video", "office", "Fiskartorget 1", "722 15", "Västerås",
        "Kommunens kontaktcenter möter invånare enbart via video.", centreHours, "Videorum 1", "Videorum 2");
    UUID guidance = service(vasteras, "Kontaktcenter – vägledning", "Contact centre – guidance", "K", 20, "video");
    UUID permits = service(vasteras, "Bygglovsrådgivning", "Building permit advice", "V", 30, "video");
    offer(centre, guidance, permits);

    displays.add(Tuple.of(hemse, "Skärm entrén", DISPLAY_TOKENS.get("Hemse servicepunkt")));
    displays.add(Tuple.of(satra, "Skärm väntrummet", DISPLAY_TOKENS.get("Medborgarkontor Sätra")));

    // every day 00:00-23:59:59 and no holidays: tickets can be taken and called at any hour
    var allDay = new ArrayList<WeeklyHours>();
    for (DayOfWeek day : DayOfWeek.values()) {
      allDay.add(new WeeklyHours(day.getValue(), LocalTime.MIN, LocalTime.of(23, 59, 59)));
    }
    UUID lobby = point(LOBBY_ID, gotland, LOBBY_NAME, "office", "Demogatan 1", "123 45", "Demostad",
        "En påhittad servicepunkt för att prova kön: öppen dygnet runt, med tre luckor och en skärm.", allDay,
        "Lucka 1", "Lucka 2", "Lucka 3");
    // desk-only errands of its own: offering Gotland's video service here would make this lobby the
    // first point to book it by video at, where nobody holds video shifts
    UUID tryQueue = service(gotland, "Prova kön: ett ärende", "Try the queue: an errand", "D", 10, "desk");
    UUID tryOther = service(gotland, "Prova kön: ett annat ärende", "Try the queue: another errand", "E", 10, "desk");
    offer(lobby, tryQueue, tryOther);
    displays.add(Tuple.of(lobby, "Skärm demolobbyn", LOBBY_DISPLAY_TOKEN));

    var holidays = SwedishHolidays.between(today, today.plusDays(365));
    for (UUID office : List.of(hemse, satra, centre)) {
      holidays.forEach((date, name) -> exceptions.add(Tuple.of(office, date, true, null, null, name)));
    }
    var closed = holidays.entrySet().stream()
        .map(e -> new OpeningException(null, e.getKey(), true, null, null, e.getValue())).toList();

    account(gotland, "admin@gotland.example", "Gunilla Admin", hash, List.of(), "admin", "staff");
    UUID lena = account(gotland, "lena.lind@gotland.example", "Lena Lind", hash, List.of(info, library), "staff");
    UUID karin = account(gotland, "karin.ek@gotland.example", "Karin Ek", hash, List.of(info), "staff");
    UUID olof = account(gotland, "olof.nyberg@gotland.example", "Olof Nyberg", hash, List.of(info, library), "staff");
    account(stockholm, "admin@stockholm.example", "Stina Admin", hash, List.of(), "admin", "staff");
    account(stockholm, "chef@stockholm.example", "Christer Chef", hash, List.of(), "manager", "staff");
    UUID sara = account(stockholm, "sara.holm@stockholm.example", "Sara Holm", hash, List.of(social), "staff");
    UUID ali = account(stockholm, "ali.hassan@stockholm.example", "Ali Hassan", hash, List.of(social, eservices), "staff");
    account(fk, "admin@forsakringskassan.example", "Fredrik Admin", hash, List.of(), "admin");
    UUID maria = account(fk, "maria.berg@forsakringskassan.example", "Maria Berg", hash, List.of(visit), "staff");
    account(vasteras, "admin@vasteras.example", "Vera Admin", hash, List.of(), "admin", "staff");
    UUID johan = account(vasteras, "johan.lund@vasteras.example", "Johan Lund", hash, List.of(guidance, permits), "staff");
    UUID eva = account(vasteras, "eva.strand@vasteras.example", "Eva Strand", hash, List.of(guidance), "staff");
    account(gotland, "demo@gotland.example", "Demo Personal", hash, List.of(tryQueue, tryOther), "staff");

    var hemseDays = new OpeningCalendar(ZONE, false, weekdays, closed, List.of()).days(today, SHIFT_DAYS);
    shifts(lena, hemse, "desk", hemseDays);
    shifts(karin, hemse, "video", hemseDays);
    var wheelDays = new OpeningCalendar(ZONE, true, List.of(), closed, stopPlan).days(today, SHIFT_DAYS);
    shifts(olof, wheels, "desk", wheelDays);
    var satraDays = new OpeningCalendar(ZONE, false, satraHours, closed, List.of()).days(today, SHIFT_DAYS);
    shifts(sara, satra, "desk", satraDays);
    shifts(ali, satra, "desk", satraDays);
    shifts(maria, satra, "desk", satraDays);
    var centreDays = new OpeningCalendar(ZONE, false, centreHours, closed, List.of()).days(today, SHIFT_DAYS);
    shifts(johan, centre, "video", centreDays);
    shifts(eva, centre, "video", centreDays);
    this.history = new DemoHistory(ZONE, today)
        .office(new DemoHistory.Office(hemse, gotland, 9, 16, 2, 1), List.of(
            new DemoHistory.Errand(hemse, info, "desk", 2.2, 20, 0.3),
            new DemoHistory.Errand(hemse, info, "video", 0.6, 20, 0.9),
            new DemoHistory.Errand(hemse, library, "desk", 1.5, 15, 0.05)))
        .office(new DemoHistory.Office(satra, stockholm, 9, 16, 3, 0), List.of(
            new DemoHistory.Errand(satra, social, "desk", 1.2, 45, 0.6),
            new DemoHistory.Errand(satra, eservices, "desk", 2.5, 20, 0.2)))
        .office(new DemoHistory.Office(satra, fk, 9, 16, 2, 0), List.of(
            new DemoHistory.Errand(satra, visit, "desk", 1.8, 30, 0.5)))
        .office(new DemoHistory.Office(centre, vasteras, 8, 17, 0, 2), List.of(
            new DemoHistory.Errand(centre, guidance, "video", 1.6, 20, 0.7),
            new DemoHistory.Errand(centre, permits, "video", 0.8, 30, 0.9)));
    stopPlan.forEach(s -> stops.add(Tuple.tuple(java.util.Arrays.asList(
        wheels, s.date(), s.opens(), s.closes(), s.place(), s.street(), s.city()))));
    return this;
  }

  /** The mobile unit's round: Burgsvik and Havdhem on Tuesdays, Ljugarn and Roma on Wednesdays, Slite on Thursdays. */
  private List<MobileStop> stopPlan() {
    var plan = new ArrayList<MobileStop>();
    for (int i = 0; i < SHIFT_DAYS; i++) {
      LocalDate day = today.plusDays(i);
      switch (day.getDayOfWeek()) {
        case TUESDAY -> {
          plan.add(stop(day, "09:30", "11:30", "Burgsvik", "Burgsviks hamnväg 2", "Burgsvik"));
          plan.add(stop(day, "13:00", "15:00", "Havdhem", "Havdhems skola", "Havdhem"));
        }
        case WEDNESDAY -> {
          plan.add(stop(day, "10:00", "12:00", "Ljugarn", "Strandvägen 5", "Ljugarn"));
          plan.add(stop(day, "13:30", "15:30", "Roma", "Roma kloster, parkeringen", "Roma"));
        }
        case THURSDAY -> plan.add(stop(day, "10:00", "14:00", "Slite", "Torget", "Slite"));
        default -> {
        }
      }
    }
    return plan;
  }

  private static MobileStop stop(LocalDate day, String opens, String closes, String place, String street, String city) {
    return new MobileStop(null, day, LocalTime.parse(opens), LocalTime.parse(closes), place, street, city);
  }

  private static List<WeeklyHours> week(LocalTime opens, LocalTime closes, Map<DayOfWeek, LocalTime> late) {
    var week = new ArrayList<WeeklyHours>();
    for (DayOfWeek day : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
        DayOfWeek.FRIDAY)) {
      week.add(new WeeklyHours(day.getValue(), opens, late.getOrDefault(day, closes)));
    }
    return week;
  }

  private UUID organisation(String name) {
    UUID id = UUID.randomUUID();
    organisations.add(Tuple.of(id, name));
    return id;
  }

  private UUID point(UUID host, String name, String kind, String street, String postalCode, String city,
                     String description, List<WeeklyHours> week, String... counterNames) {
    return point(UUID.randomUUID(), host, name, kind, street, postalCode, city, description, week, counterNames);
  }

  private UUID point(UUID id, UUID host, String name, String kind, String street, String postalCode, String city,
                     String description, List<WeeklyHours> week, String... counterNames) {
    points.add(Tuple.tuple(java.util.Arrays.asList(id, host, name, kind, ZONE.getId(), street, postalCode, city,
        description)));
    week.forEach(h -> hours.add(Tuple.of(id, h.weekday(), h.opens(), h.closes())));
    for (String counter : counterNames) {
      counters.add(Tuple.of(id, counter, counter.startsWith("Video") ? "video" : "desk"));
    }
    return id;
  }

  private UUID service(UUID organisation, String nameSv, String nameEn, String letter, int minutes, String... channels) {
    UUID id = UUID.randomUUID();
    services.add(Tuple.of(id, organisation, nameSv, nameEn, letter, minutes).addArrayOfString(channels));
    return id;
  }

  private void offer(UUID point, UUID... offered) {
    for (UUID service : offered) {
      offerings.add(Tuple.of(point, service));
    }
  }

  private UUID account(UUID organisation, String email, String name, String hash, List<UUID> skilled, String... roles) {
    UUID id = UUID.randomUUID();
    staff.add(Tuple.of(id, organisation, email, name, hash).addArrayOfString(roles));
    skilled.forEach(service -> skills.add(Tuple.of(id, service)));
    return id;
  }

  /** One shift per open interval of each day, on the given channel. */
  private void shifts(UUID person, UUID point, String channel, List<OpeningCalendar.Day> days) {
    days.forEach(day -> day.intervals().forEach(interval -> shifts.add(Tuple.of(person, point, channel,
        interval.start().toOffsetDateTime(), interval.end().toOffsetDateTime()))));
  }

  private Future<Void> insert(SqlConnection tx, DemoData plan) {
    var statements = List.of(
        Map.entry("INSERT INTO organisation (id, name) VALUES ($1, $2)", plan.organisations),
        Map.entry("""
            INSERT INTO service_point (id, organisation_id, name, kind, time_zone, street, postal_code, city, description)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""", plan.points),
        Map.entry("INSERT INTO service_point_member (service_point_id, organisation_id) VALUES ($1, $2)", plan.members),
        Map.entry("""
            INSERT INTO service (id, organisation_id, name_sv, name_en, ticket_letter, duration_minutes, channels)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""", plan.services),
        Map.entry("INSERT INTO service_offering (service_point_id, service_id) VALUES ($1, $2)", plan.offerings),
        Map.entry("INSERT INTO counter (service_point_id, name, channel) VALUES ($1, $2, $3)", plan.counters),
        Map.entry("INSERT INTO weekly_hours (service_point_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)", plan.hours),
        Map.entry("""
            INSERT INTO opening_exception (service_point_id, day, closed, opens, closes, reason)
            VALUES ($1, $2, $3, $4, $5, $6)""", plan.exceptions),
        Map.entry("""
            INSERT INTO mobile_stop (service_point_id, day, opens, closes, place, street, city)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""", plan.stops),
        Map.entry("""
            INSERT INTO staff (id, organisation_id, email, display_name, password_hash, roles)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""", plan.staff),
        Map.entry("INSERT INTO staff_skill (staff_id, service_id) VALUES ($1, $2)", plan.skills),
        Map.entry("""
            INSERT INTO display_token (service_point_id, name, token_hash)
            VALUES ($1, $2, sha256(convert_to($3, 'UTF8')))""", plan.displays),
        Map.entry("""
            INSERT INTO shift (staff_id, service_point_id, channel, period)
            VALUES ($1, $2, $3, tstzrange($4, $5, '[)'))""", plan.shifts));
    Future<Void> chain = Future.succeededFuture();
    for (var statement : statements) {
      chain = chain.compose(v -> statement.getValue().isEmpty()
          ? Future.succeededFuture()
          : tx.preparedQuery(statement.getKey()).executeBatch(statement.getValue()).mapEmpty());
    }
    return chain.onSuccess(v -> LOG.info("Seeded demo data: {} service points, {} staff, {} shifts",
        plan.points.size(), plan.staff.size(), plan.shifts.size()));
  }

  /**
   * The statistics' history of the demo's offices, written after the seeding transaction has
   * committed, by the instance that seeded (nothing when this instance found the data there).
   */
  public Future<Void> writeHistory(io.vertx.sqlclient.Pool pool) {
    if (history == null) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    return history.insert(pool).onSuccess(v -> LOG.info("Wrote {} facts of the demo's last {} days of statistics in {} ms",
        history.size(), DemoHistory.DAYS, (System.nanoTime() - started) / 1_000_000));
  }
}
