package se.servicepunkt.booking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import se.servicepunkt.core.Problem;
import se.servicepunkt.core.Times;
import se.servicepunkt.directory.DirectoryOverview;
import se.servicepunkt.directory.Service;
import se.servicepunkt.directory.ServicePoint;
import se.servicepunkt.page.Dates;
import se.servicepunkt.page.Form;
import se.servicepunkt.page.Forms;
import se.servicepunkt.page.Lang;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;

/**
 * The residents' booking flow, one question per page (the GOV.UK pattern), and "find my booking".
 *
 * <p><b>Where the answers are kept.</b> No server session: the choices that are not personal
 * (point, service, channel, day, time) travel in the address ({@code servicepunkt}, {@code tjanst},
 * {@code kanal}, {@code dag}, {@code tid}), so the back button, a reload and the start page's links
 * ({@code /boka?servicepunkt=ID&tjanst=ID&kanal=video}) just work; what the resident typed about
 * themself (name, e-mail, phone, language, consent) travels as {@code uppgifter}, sealed
 * ({@link Sealed}: encrypted and authenticated with a key from the server's secret, for four
 * hours), so it never shows in a log or the browser's history in plain text. Each question's form
 * posts its answer with the others as hidden fields and is answered 303 to the next question (or,
 * with mistakes, with the same page, an error summary and what was typed).
 *
 * <p><b>Booking once.</b> The check-your-answers page carries an idempotency key made when it is
 * rendered; posting it twice (a double click, a reload) replays the first answer, so one booking.
 * A time taken meanwhile returns to the day's times with a message, the typed details kept.
 */
public final class BookingPages {
  static final String BOOK = "/boka";
  static final String FIND = "/hitta-bokning";
  private static final int DAYS_SHOWN = 14;
  private static final String[] STATE = {"via", "servicepunkt", "tjanst", "kanal", "dag", "tid", "uppgifter", "personal"};

  private final BookingService bookings;
  private final Pages pages;
  private final Sealed sealed;
  private final int retentionDays;
  private final se.servicepunkt.auth.StaffAuth auth;

  /** @param auth checks the staff token of a booking made on a resident's behalf ({@code personal=1}) */
  public BookingPages(BookingService bookings, Pages pages, java.time.Clock clock, int retentionDays,
                      se.servicepunkt.auth.StaffAuth auth) {
    this.auth = auth;
    this.bookings = bookings;
    this.pages = pages;
    this.sealed = new Sealed(bookings.tokens().derive("servicepunkt booking pages v1"), clock);
    this.retentionDays = retentionDays;
  }

  public void mount(Router root) {
    root.get(BOOK).handler(this::entry);
    root.get(BOOK + "/plats").handler(ctx -> pointQuestion(ctx, Flow.of(ctx), null));
    root.get(BOOK + "/tjanst").handler(ctx -> serviceQuestion(ctx, Flow.of(ctx), null));
    root.get(BOOK + "/kanal").handler(ctx -> channelQuestion(ctx, Flow.of(ctx), null));
    root.get(BOOK + "/dag").handler(this::days);
    root.get(BOOK + "/tid").handler(ctx -> times(ctx, Flow.of(ctx), null));
    root.get(BOOK + "/uppgifter").handler(this::details);
    root.get(BOOK + "/kontrollera").handler(this::check);
    root.get(BOOK + "/klar/:reference").handler(this::done);
    root.get(FIND).handler(ctx -> findPage(ctx, Form.empty(), 200));
    post(root, BOOK + "/plats", this::answerPoint);
    post(root, BOOK + "/tjanst", this::answerService);
    post(root, BOOK + "/kanal", this::answerChannel);
    post(root, BOOK + "/tid", this::answerTime);
    post(root, BOOK + "/uppgifter", this::answerDetails);
    // a booking on a resident's behalf carries the member of staff's bearer token (the check page's script sends it)
    auth.allowStaff(root.post(BOOK + "/kontrollera").handler(pages.forms().sameOrigin()).handler(pages.forms().body()))
        .handler(this::book);
    post(root, FIND, this::find);
  }

  private void post(Router root, String path, io.vertx.core.Handler<RoutingContext> handler) {
    root.post(path).handler(pages.forms().sameOrigin()).handler(pages.forms().body()).handler(handler);
  }

  /** The answers so far: from the address (a page) or the hidden fields (a form). */
  record Flow(Map<String, String> values) {
    static Flow of(RoutingContext ctx) {
      var values = new LinkedHashMap<String, String>();
      boolean form = ctx.request().isExpectMultipart();
      for (String key : STATE) {
        String value = form ? ctx.request().getFormAttribute(key) : ctx.queryParams().get(key);
        if (value == null && form) {
          value = ctx.queryParams().get(key);
        }
        if (value != null && !value.isBlank()) {
          values.put(key, value.strip());
        }
      }
      return new Flow(values).checked();
    }

    /** Drops what cannot be read, so that a changed address asks again instead of failing. */
    private Flow checked() {
      var ok = new LinkedHashMap<String, String>(values);
      ok.computeIfPresent("servicepunkt", (k, v) -> uuid(v) != null ? v : null);
      ok.computeIfPresent("tjanst", (k, v) -> uuid(v) != null ? v : null);
      ok.computeIfPresent("kanal", (k, v) -> v.equals("desk") || v.equals("video") ? v : null);
      ok.computeIfPresent("via", (k, v) -> v.equals("video") ? v : null);
      ok.computeIfPresent("dag", (k, v) -> date(v) != null ? v : null);
      ok.computeIfPresent("tid", (k, v) -> instant(v) != null ? v : null);
      ok.computeIfPresent("personal", (k, v) -> v.equals("1") ? v : null);
      return new Flow(ok);
    }

    /**
     * Staff book on a resident's behalf (a phone or desk booking from the counter console): the
     * same questions; the check page sends the member of staff's token, and the booking is theirs.
     */
    boolean staff() {
      return "1".equals(values.get("personal"));
    }

    String get(String key) {
      return values.get(key);
    }

    UUID point() {
      return uuid(values.get("servicepunkt"));
    }

    UUID service() {
      return uuid(values.get("tjanst"));
    }

    String channel() {
      return values.get("kanal");
    }

    LocalDate day() {
      return date(values.get("dag"));
    }

    OffsetDateTime time() {
      return instant(values.get("tid"));
    }

    boolean video() {
      return "video".equals(channel());
    }

    /** These answers with one more (or one fewer, for a null value). */
    Flow with(String key, String value) {
      var next = new LinkedHashMap<String, String>(values);
      if (value == null) {
        next.remove(key);
      } else {
        next.put(key, value);
      }
      return new Flow(next);
    }

    Flow without(String... keys) {
      var next = new LinkedHashMap<String, String>(values);
      for (String key : keys) {
        next.remove(key);
      }
      return new Flow(next);
    }

    /** The answers as a query string (without "?"). */
    String query() {
      var text = new StringBuilder();
      values.forEach((k, v) -> text.append(text.isEmpty() ? "" : "&").append(k).append('=').append(encode(v)));
      return text.toString();
    }

    /** {@code path} with the answers. */
    String at(String path) {
      String query = query();
      return query.isEmpty() ? path : path + "?" + query;
    }

    /** The answers as hidden fields, but {@code asked} (the page's own question). */
    List<Map<String, String>> hidden(String... asked) {
      var list = new ArrayList<Map<String, String>>();
      values.forEach((k, v) -> {
        if (!List.of(asked).contains(k)) {
          list.add(Map.of("name", k, "value", v));
        }
      });
      return list;
    }
  }

  // ---- the first page: where the questions start, and where the start page's links land ----

  private void entry(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    if (flow.values().isEmpty()) {
      pointQuestion(ctx, flow, null);
    } else {
      Forms.seeOther(ctx, link(ctx, flow.at(next(flow))));
    }
  }

  /** The first question not yet answered. */
  private static String next(Flow flow) {
    if (flow.service() == null) {
      return flow.point() == null && !flow.video() ? BOOK + "/plats" : BOOK + "/tjanst";
    }
    if (flow.point() == null) {
      return BOOK + "/tjanst";
    }
    if (flow.channel() == null) {
      return BOOK + "/kanal";
    }
    if (flow.day() == null) {
      return BOOK + "/dag";
    }
    if (flow.time() == null) {
      return BOOK + "/tid";
    }
    return flow.get("uppgifter") == null ? BOOK + "/uppgifter" : BOOK + "/kontrollera";
  }

  // ---- service point (or video) ----

  private void pointQuestion(RoutingContext ctx, Flow flow, Form form) {
    bookings.listings().onSuccess(listings -> {
      Page page = pages.page(ctx, "book-question.html");
      String chosen = form != null ? form.value("plats") : videoOnly(flow) ? "video" : flow.get("servicepunkt");
      var options = new ArrayList<Map<String, Object>>();
      for (DirectoryOverview.Listing listing : listings) {
        if (listing.services().stream().anyMatch(s -> s.channels().contains("desk"))) {
          options.add(option(listing.point().id().toString(), listing.point().name(),
              address(listing.point()), chosen));
        }
      }
      if (listings.stream().anyMatch(l -> l.services().stream().anyMatch(s -> s.channels().contains("video")))) {
        options.add(option("video", page.t("book.point.video"), page.t("book.point.videoHint"), chosen));
      }
      question(page, form, "plats", page.t("book.point.question"), null, options, flow.hidden(),
          BOOK + "/plats", page.link("/"));
    }).onFailure(ctx::fail);
  }

  private void answerPoint(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    Form form = Form.of(ctx);
    String answer = form.value("plats");
    bookings.listings().onSuccess(listings -> {
      boolean known = "video".equals(answer) || listings.stream().anyMatch(l -> l.point().id().toString().equals(answer));
      if (!known) {
        form.error("plats", pages.messages().get(pages.lang(ctx), "book.point.error"));
        pointQuestion(ctx, flow, form);
        return;
      }
      Flow next;
      if ("video".equals(answer)) {
        next = videoOnly(flow) ? flow
            : flow.without("servicepunkt", "tjanst", "dag", "tid").with("via", "video").with("kanal", "video");
      } else {
        next = answer.equals(flow.get("servicepunkt")) && !videoOnly(flow) ? flow
            : flow.without("via", "tjanst", "kanal", "dag", "tid").with("servicepunkt", answer);
      }
      Forms.seeOther(ctx, link(ctx, next.at(BOOK + "/tjanst")));
    }).onFailure(ctx::fail);
  }

  // ---- service ----

  /** The services to choose from: the point's, or every service met by video (at the first point offering it). */
  private static List<Map.Entry<ServicePoint, Service>> services(List<DirectoryOverview.Listing> listings, Flow flow) {
    var list = new ArrayList<Map.Entry<ServicePoint, Service>>();
    var seen = new java.util.HashSet<UUID>();
    for (DirectoryOverview.Listing listing : listings) {
      boolean here = flow.point() != null && listing.point().id().equals(flow.point());
      for (Service service : listing.services()) {
        if (videoOnly(flow) ? service.channels().contains("video") && seen.add(service.id()) : here) {
          list.add(Map.entry(listing.point(), service));
        }
      }
    }
    return list;
  }

  /**
   * Video chosen on the first page ({@code via=video}): the services are every service met by
   * video, and the one chosen names the point (the first that offers it, as on the start page).
   */
  private static boolean videoOnly(Flow flow) {
    return "video".equals(flow.get("via")) || flow.video() && flow.point() == null;
  }

  private void serviceQuestion(RoutingContext ctx, Flow flow, Form form) {
    if (flow.point() == null && !flow.video()) {
      Forms.seeOther(ctx, link(ctx, BOOK));
      return;
    }
    bookings.listings().onSuccess(listings -> {
      Page page = pages.page(ctx, "book-question.html");
      var offered = services(listings, flow.point() != null && flow.video() ? flow.with("kanal", "desk") : flow);
      if (offered.isEmpty()) {
        Forms.seeOther(ctx, link(ctx, BOOK + "/plats"));
        return;
      }
      String chosen = form != null ? form.value("tjanst") : flow.get("tjanst");
      var options = new ArrayList<Map<String, Object>>();
      for (var entry : offered) {
        Service s = entry.getValue();
        String hint = videoOnly(flow) ? null
            : s.channels().size() > 1 ? page.t("start.channels.both")
            : s.channels().contains("video") ? page.t("start.channels.video") : null;
        options.add(option(s.id().toString(), name(s, page.lang()), hint, chosen));
      }
      String question = videoOnly(flow) ? page.t("book.service.questionVideo")
          : page.format("book.service.question", offered.get(0).getKey().name());
      question(page, form, "tjanst", question, null, options, flow.hidden("tjanst"), BOOK + "/tjanst",
          page.link(flow.at(BOOK + "/plats")));
    }).onFailure(ctx::fail);
  }

  private void answerService(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    Form form = Form.of(ctx);
    UUID answer = uuid(form.value("tjanst"));
    bookings.listings().onSuccess(listings -> {
      var offered = services(listings, flow.point() != null && flow.video() ? flow.with("kanal", "desk") : flow);
      var chosen = offered.stream().filter(e -> e.getValue().id().equals(answer)).findFirst().orElse(null);
      if (chosen == null) {
        form.error("tjanst", pages.messages().get(pages.lang(ctx), "book.service.error"));
        serviceQuestion(ctx, flow, form);
        return;
      }
      Service service = chosen.getValue();
      boolean same = service.id().equals(flow.service());
      Flow next = (same ? flow : flow.without("dag", "tid")).with("tjanst", service.id().toString())
          .with("servicepunkt", chosen.getKey().id().toString());
      if (videoOnly(flow)) {
        next = next.with("kanal", "video");
      } else if (service.channels().size() == 1) {
        next = next.with("kanal", service.channels().get(0));
      } else if (!same) {
        next = next.without("kanal");
      }
      Forms.seeOther(ctx, link(ctx, next.at(next(next))));
    }).onFailure(ctx::fail);
  }

  // ---- channel, where both are offered ----

  private void channelQuestion(RoutingContext ctx, Flow flow, Form form) {
    if (flow.point() == null || flow.service() == null) {
      Forms.seeOther(ctx, link(ctx, flow.at(BOOK)));
      return;
    }
    Page page = pages.page(ctx, "book-question.html");
    String chosen = form != null ? form.value("kanal") : flow.channel();
    var options = List.of(
        option("desk", page.t("book.channel.desk"), page.t("book.channel.deskHint"), chosen),
        option("video", page.t("book.channel.video"), page.t("book.channel.videoHint"), chosen));
    question(page, form, "kanal", page.t("book.channel.question"), null, options, flow.hidden("kanal"),
        BOOK + "/kanal", page.link(flow.at(BOOK + "/tjanst")));
  }

  private void answerChannel(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    Form form = Form.of(ctx);
    String answer = form.value("kanal");
    if (!answer.equals("desk") && !answer.equals("video")) {
      form.error("kanal", pages.messages().get(pages.lang(ctx), "book.channel.error"));
      channelQuestion(ctx, flow, form);
      return;
    }
    Flow next = answer.equals(flow.channel()) ? flow : flow.without("dag", "tid").with("kanal", answer);
    Forms.seeOther(ctx, link(ctx, next.at(BOOK + "/dag")));
  }

  // ---- day and time ----

  private void days(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    if (flow.point() == null || flow.service() == null || flow.channel() == null) {
      Forms.seeOther(ctx, link(ctx, flow.at(BOOK)));
      return;
    }
    LocalDate asked = date(ctx.queryParams().get("fran"));
    Page page = pages.page(ctx, "book-days.html");
    daysPage(page, flow.point(), flow.service(), flow.channel(), asked,
        day -> page.link(flow.with("dag", day.toString()).without("tid").at(BOOK + "/tid")),
        from -> page.link(flow.without("dag", "tid").at(BOOK + "/dag") + "&fran=" + from),
        service -> page.link(flow.at(BOOK + (service.channels().size() > 1 && !videoOnly(flow) ? "/kanal" : "/tjanst"))),
        page.t("book.day.question"))
        .onFailure(e -> restart(ctx, e));
  }

  /**
   * A page of days with free times (two weeks from {@code asked}, or today), each a link with its
   * number of free times, and links to later (and earlier) weeks within the service's horizon.
   */
  Future<Void> daysPage(Page page, UUID point, UUID service, String channel, LocalDate asked,
                        Function<LocalDate, String> dayUrl, Function<LocalDate, String> fromUrl,
                        Function<Service, String> backUrl, String heading) {
    return bookings.listings().compose(listings -> {
      ServicePoint p = listings.stream().map(DirectoryOverview.Listing::point).filter(x -> x.id().equals(point))
          .findFirst().orElse(null);
      if (p == null) {
        return Future.failedFuture(Problem.notFound("The service point"));
      }
      LocalDate today = bookings.today(p);
      LocalDate from = asked == null || asked.isBefore(today) ? today : asked;
      return bookings.free(point, service, channel, from, from.plusDays(DAYS_SHOWN - 1)).map(offer -> {
        LocalDate last = bookings.lastBookableDay(offer.point(), offer.service());
        LocalDate to = from.plusDays(DAYS_SHOWN - 1);
        var counts = new TreeMap<LocalDate, Integer>();
        offer.slots().forEach(slot -> counts.merge(slot.start().toLocalDate(), 1, Integer::sum));
        Lang lang = page.lang();
        var days = new ArrayList<Map<String, Object>>();
        counts.forEach((day, n) -> days.add(Map.of("url", dayUrl.apply(day), "date", Dates.date(day, lang),
            "count", n == 1 ? page.t("book.day.oneFree") : page.format("book.day.free", n))));
        page.title(heading)
            .put("heading", heading)
            .put("service", name(offer.service(), lang))
            .put("where", offer.channel().equals("video") ? page.t("book.point.video") : offer.point().name())
            .put("range", page.format("book.day.range", Dates.date(from, lang), Dates.date(to.isAfter(last) ? last : to, lang)))
            .put("days", days)
            .put("none", days.isEmpty())
            .put("laterUrl", to.isBefore(last) ? fromUrl.apply(to.plusDays(1)) : null)
            .put("earlierUrl", from.isAfter(today)
                ? fromUrl.apply(from.minusDays(DAYS_SHOWN).isBefore(today) ? today : from.minusDays(DAYS_SHOWN)) : null)
            .put("backUrl", backUrl.apply(offer.service()))
            .send();
        return null;
      });
    });
  }

  private void times(RoutingContext ctx, Flow flow, Form form) {
    if (flow.point() == null || flow.service() == null || flow.channel() == null || flow.day() == null) {
      Forms.seeOther(ctx, link(ctx, flow.at(BOOK)));
      return;
    }
    Page page = pages.page(ctx, "book-question.html");
    Form shown = form != null ? form : taken(ctx, page);
    timesPage(page, shown, form != null ? 422 : 200, flow.point(), flow.service(), flow.channel(), flow.day(),
        form != null ? form.value("tid") : flow.get("tid"), flow.without("tid").hidden(), BOOK + "/tid",
        page.link(flow.without("dag", "tid").at(BOOK + "/dag")))
        .onFailure(e -> restart(ctx, e));
  }

  /** The form of a times page, with the error "taken" when the address says the chosen time was taken meanwhile. */
  static Form taken(RoutingContext ctx, Page page) {
    Form form = Form.empty();
    if ("1".equals(ctx.queryParams().get("upptagen"))) {
      form.error("tid", page.t("book.time.taken"));
    }
    return form;
  }

  /**
   * A day's free times as radio buttons, one fieldset each for the morning and the afternoon,
   * each labelled in full ("tisdag 3 mars kl. 10.30, 20 minuter").
   */
  Future<Void> timesPage(Page page, Form form, int errorStatus, UUID point, UUID service, String channel, LocalDate day, String chosen,
                         List<Map<String, String>> hidden, String action, String backUrl) {
    return bookings.free(point, service, channel, day, day).map(offer -> {
      Lang lang = page.lang();
      var morning = new ArrayList<Map<String, Object>>();
      var afternoon = new ArrayList<Map<String, Object>>();
      OffsetDateTime wanted = instant(chosen);
      for (Slots.Slot slot : offer.slots()) {
        ZonedDateTime start = slot.start();
        String label = Dates.dateTime(start, lang) + ", " + page.format("book.time.minutes", offer.service().durationMinutes());
        boolean checked = wanted != null && wanted.toInstant().equals(start.toInstant()) && !form.hasErrors();
        (start.getHour() < 12 ? morning : afternoon).add(option(Times.iso(start), label, null, checked ? Times.iso(start) : null));
      }
      String heading = page.format("book.time.question", Dates.date(day, lang));
      var groups = new ArrayList<Map<String, Object>>();
      if (!morning.isEmpty()) {
        groups.add(group(page.t("book.time.morning"), morning));
      }
      if (!afternoon.isEmpty()) {
        groups.add(group(page.t("book.time.afternoon"), afternoon));
      }
      ids(groups, "tid");
      page.title(heading).form(form)
          .put("heading", heading)
          .put("groups", groups)
          .put("none", groups.isEmpty())
          .put("noneText", page.t("book.time.none"))
          .put("hidden", hidden)
          .put("action", action)
          .put("backUrl", backUrl)
          .put("errorField", "tid")
          .put("error", form.errors().isEmpty() ? null : form.errors().get(0).text())
          .put("button", page.t("form.continue"))
          .status(form.hasErrors() ? errorStatus : 200)
          .send();
      return null;
    });
  }

  private void answerTime(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    Form form = Form.of(ctx);
    OffsetDateTime answer = instant(form.value("tid"));
    if (answer == null) {
      form.error("tid", pages.messages().get(pages.lang(ctx), "book.time.error"));
      times(ctx, flow, form);
      return;
    }
    Flow next = flow.with("tid", form.value("tid").strip());
    Forms.seeOther(ctx, link(ctx, next.at(next.get("uppgifter") == null ? BOOK + "/uppgifter" : BOOK + "/kontrollera")));
  }

  // ---- the resident's details ----

  private void details(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    if (flow.time() == null) {
      Forms.seeOther(ctx, link(ctx, flow.at(BOOK)));
      return;
    }
    JsonObject known = sealed.open(flow.get("uppgifter"));
    var values = new LinkedHashMap<String, String>();
    if (known != null) {
      values.put("namn", known.getString("name", ""));
      values.put("epost", known.getString("email", ""));
      values.put("telefon", known.getString("phone", ""));
      values.put("sprak", known.getString("language", ""));
      values.put("samtycke", known.getBoolean("consent", false) ? "ja" : "");
    }
    detailsPage(ctx, flow, Form.filled(values), 200);
  }

  private void detailsPage(RoutingContext ctx, Flow flow, Form form, int status) {
    Page page = pages.page(ctx, "book-details.html");
    form.field("namn").withLabel(page.t("book.details.name")).withAutocomplete("name");
    form.field("epost").withLabel(page.t("book.details.email")).withHint(page.t("book.details.emailHint"))
        .withType("email").withAutocomplete("email").withoutSpellcheck();
    form.field("telefon").withLabel(page.t("book.details.phone")).withHint(page.t("book.details.phoneHint"))
        .withType("tel").withAutocomplete("tel").withWidth("20");
    String language = form.value("sprak").isEmpty() ? page.lang().code() : form.value("sprak");
    String languageError = form.errors().stream().filter(e -> e.field().equals("sprak")).map(Form.Error::text)
        .findFirst().orElse(null);
    String consentError = form.errors().stream().filter(e -> e.field().equals("samtycke")).map(Form.Error::text)
        .findFirst().orElse(null);
    page.title(page.t("book.details.title")).form(form).status(status)
        .put("languages", List.of(
            Map.of("id", "sprak", "value", "sv", "label", "Svenska", "lang", "sv", "checked", language.equals("sv")),
            Map.of("id", "sprak-en", "value", "en", "label", "English", "lang", "en", "checked", language.equals("en"))))
        .put("languageError", languageError)
        .put("consentError", consentError)
        .put("consented", !form.value("samtycke").isEmpty())
        .put("consentText", page.format("book.details.consentText", retentionDays))
        .put("privacyUrl", page.link("/integritet"))
        .put("hidden", flow.hidden("uppgifter"))
        .put("backUrl", page.link(flow.without("tid", "uppgifter").at(BOOK + "/tid")))
        .send();
  }

  private void answerDetails(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    Form form = Form.of(ctx);
    Lang lang = pages.lang(ctx);
    var m = pages.messages();
    form.field("namn");
    form.field("epost");
    form.field("telefon");
    String name = form.text("namn");
    String email = form.text("epost");
    String phone = form.text("telefon");
    if (name == null) {
      form.error("namn", m.get(lang, "book.details.nameMissing"));
    } else if (name.length() > 200) {
      form.error("namn", m.get(lang, "book.details.nameLong"));
    }
    if (email == null) {
      form.error("epost", m.get(lang, "book.details.emailMissing"));
    } else if (email.length() > 254 || !email.matches("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$")) {
      form.error("epost", m.get(lang, "book.details.emailWrong"));
    }
    if (phone != null && !phone.matches("\\+?[0-9][0-9 ()-]{5,28}")) {
      form.error("telefon", m.get(lang, "book.details.phoneWrong"));
    }
    String language = form.value("sprak");
    if (!language.equals("sv") && !language.equals("en")) {
      form.error("sprak", m.get(lang, "book.details.languageMissing"));
    }
    if (form.value("samtycke").isEmpty()) {
      form.error("samtycke", m.get(lang, "book.details.consentMissing"));
    }
    if (form.hasErrors()) {
      detailsPage(ctx, flow, form, 422);
      return;
    }
    String seal = sealed.seal(new JsonObject().put("name", name).put("email", email).put("phone", phone)
        .put("language", language).put("consent", true));
    Forms.seeOther(ctx, link(ctx, flow.with("uppgifter", seal).at(BOOK + "/kontrollera")));
  }

  // ---- check your answers, and book ----

  private void check(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    JsonObject details = sealed.open(flow.get("uppgifter"));
    if (flow.time() == null) {
      Forms.seeOther(ctx, link(ctx, flow.at(BOOK)));
      return;
    }
    if (details == null) {
      Forms.seeOther(ctx, link(ctx, flow.without("uppgifter").at(BOOK + "/uppgifter")));
      return;
    }
    bookings.listings().onSuccess(listings -> {
      var entry = services(listings, flow.without("via").with("kanal", "desk")).stream()
          .filter(e -> e.getValue().id().equals(flow.service())).findFirst().orElse(null);
      if (entry == null) {
        Forms.seeOther(ctx, link(ctx, BOOK));
        return;
      }
      Page page = pages.page(ctx, "book-check.html").personal();
      Lang lang = page.lang();
      ServicePoint point = entry.getKey();
      Service service = entry.getValue();
      ZonedDateTime start = flow.time().atZoneSameInstant(point.timeZone());
      boolean both = service.channels().size() > 1;
      var rows = new ArrayList<Map<String, Object>>();
      rows.add(row(page, "book.check.point", flow.video() ? page.t("book.point.video") : point.name()
          + (address(point) != null ? ", " + address(point) : ""), flow.at(BOOK + "/plats"), "plats"));
      rows.add(row(page, "book.check.service", name(service, lang), flow.at(BOOK + "/tjanst"), "tjanst"));
      if (both) {
        rows.add(row(page, "book.check.channel", page.t(flow.video() ? "book.channel.video" : "book.channel.desk"),
            flow.at(BOOK + "/kanal"), "kanal"));
      }
      rows.add(row(page, "book.check.time", Dates.dateTime(start, lang) + ", "
          + page.format("book.time.minutes", service.durationMinutes()), flow.without("dag", "tid").at(BOOK + "/dag"), "tid"));
      String detailsUrl = flow.at(BOOK + "/uppgifter");
      rows.add(row(page, "book.check.name", details.getString("name"), detailsUrl, "namn"));
      rows.add(row(page, "book.check.email", details.getString("email"), detailsUrl, "epost"));
      rows.add(row(page, "book.check.phone", details.getString("phone") == null ? page.t("book.check.noPhone")
          : details.getString("phone"), detailsUrl, "telefon"));
      rows.add(row(page, "book.check.language", "en".equals(details.getString("language")) ? "English" : "Svenska",
          detailsUrl, "sprak"));
      if (flow.staff()) {
        page.script("booking-staff.js").put("staff", true).put("consoleUrl", page.link("/staff"));
      }
      page.title(page.t("book.check.title"))
          .put("rows", rows)
          .put("hidden", flow.hidden())
          .put("key", UUID.randomUUID().toString())
          .put("backUrl", page.link(detailsUrl))
          .send();
    }).onFailure(ctx::fail);
  }

  private void book(RoutingContext ctx) {
    Flow flow = Flow.of(ctx);
    JsonObject details = sealed.open(flow.get("uppgifter"));
    if (flow.point() == null || flow.service() == null || flow.channel() == null || flow.time() == null) {
      Forms.seeOther(ctx, link(ctx, flow.at(BOOK)));
      return;
    }
    if (details == null) {
      Forms.seeOther(ctx, link(ctx, flow.without("uppgifter").at(BOOK + "/uppgifter")));
      return;
    }
    se.servicepunkt.auth.Caller caller = se.servicepunkt.auth.Caller.optional(ctx);
    if (flow.staff() && caller == null) {
      // never booked as a resident's own booking when it was meant as staff's: sign in (the console) first
      ctx.fail(Problem.unauthorized("Booking on a resident's behalf needs a staff sign-in; open it from the counter console."));
      return;
    }
    String key = ctx.request().getFormAttribute("nyckel");
    var request = new BookingService.Request(flow.point(), flow.service(), flow.channel(), flow.time(),
        details.getString("name"), details.getString("email"), details.getString("phone"),
        details.getString("language"));
    JsonObject asJson = new JsonObject().put("servicePointId", flow.point().toString())
        .put("serviceId", flow.service().toString()).put("channel", flow.channel())
        .put("start", flow.time().toInstant().toString()).put("name", request.name()).put("email", request.email())
        .put("phone", request.phone()).put("language", request.language()).put("consent", true).put("page", true);
    Idempotency idempotency = key != null && key.matches("[0-9a-f-]{36}") ? new Idempotency(key, asJson) : null;
    bookings.book(request, idempotency, caller == null ? null : caller.staffId())
        .onSuccess(answer -> {
          String reference = answer.body().getString("reference");
          se.servicepunkt.audit.AuditLog.target(ctx, "reference", reference);
          Forms.seeOther(ctx, link(ctx, BOOK + "/klar/" + reference + "?token="
              + encode(answer.body().getString("manageToken")) + (flow.staff() ? "&personal=1" : "")));
        })
        .onFailure(e -> {
          if (e instanceof Problem p && (p.status() == 409 || p.status() == 422)) {
            // taken meanwhile (or no longer bookable: too soon): back to that day's times, the details kept
            Forms.seeOther(ctx, link(ctx, flow.at(BOOK + "/tid") + "&upptagen=1"));
          } else {
            ctx.fail(e);
          }
        });
  }

  // ---- the confirmation ----

  private void done(RoutingContext ctx) {
    String token = ctx.queryParams().get("token");
    bookings.authorised(ctx.pathParam("reference"), token == null ? "" : token, null).onSuccess(booking -> {
      Page page = pages.page(ctx, "book-done.html").personal();
      Lang lang = page.lang();
      ZonedDateTime start = booking.start().atZoneSameInstant(booking.zone());
      ZonedDateTime end = booking.end().atZoneSameInstant(booking.zone());
      boolean staff = "1".equals(ctx.queryParams().get("personal"));
      page.title(page.t("book.done.title"))
          .put("staff", staff)
          .put("consoleUrl", page.link("/staff"))
          .put("reference", booking.reference())
          .put("service", lang == Lang.EN ? booking.serviceNameEn() : booking.serviceNameSv())
          .put("when", Dates.dateWithYearTimeRange(start.toLocalDate(), start.toLocalTime(), end.toLocalTime(), lang))
          .put("video", booking.video())
          .put("point", booking.pointName())
          .put("address", booking.streetAddress())
          .put("email", booking.email())
          .put("calendarUrl", "/api/v1/bookings/" + booking.reference() + "/calendar.ics?token=" + encode(token))
          .put("manageUrl", page.link("/manage/" + booking.reference() + "?token=" + encode(token)))
          .send();
    }).onFailure(e -> pages.notFound(ctx));
  }

  // ---- find my booking ----

  private void findPage(RoutingContext ctx, Form form, int status) {
    Page page = pages.page(ctx, "find.html");
    form.field("bokningsnummer").withLabel(page.t("find.reference")).withHint(page.t("find.referenceHint"))
        .withWidth("10").withoutSpellcheck().withAutocomplete("off");
    form.field("epost").withLabel(page.t("find.email")).withHint(page.t("find.emailHint")).withType("email")
        .withAutocomplete("email").withoutSpellcheck();
    page.title(page.t("find.title")).form(form).status(status).send();
  }

  private void find(RoutingContext ctx) {
    Form form = Form.of(ctx);
    Lang lang = pages.lang(ctx);
    var m = pages.messages();
    form.field("bokningsnummer");
    form.field("epost");
    String reference = form.text("bokningsnummer");
    String email = form.text("epost");
    if (reference == null) {
      form.error("bokningsnummer", m.get(lang, "find.referenceMissing"));
    }
    if (email == null) {
      form.error("epost", m.get(lang, "find.emailMissing"));
    }
    if (form.hasErrors()) {
      findPage(ctx, form, 422);
      return;
    }
    bookings.find(reference, email)
        .onSuccess(found -> Forms.seeOther(ctx, link(ctx, "/manage/" + found.booking().reference() + "?token="
            + encode(found.token()))))
        .onFailure(e -> {
          if (e instanceof Problem p && p.status() == 404) {
            // the same answer whichever of the two is wrong
            form.error("bokningsnummer", m.get(lang, "find.notFound"));
            findPage(ctx, form, 422);
          } else {
            ctx.fail(e);
          }
        });
  }

  // ---- helpers ----

  /** A question page whose answer is one of {@code options} (radio buttons in a fieldset, the question its legend). */
  private static void question(Page page, Form form, String name, String heading, String hint,
                               List<Map<String, Object>> options, List<Map<String, String>> hidden, String action,
                               String backUrl) {
    Form shown = form != null ? form : Form.empty();
    var groups = new ArrayList<Map<String, Object>>();
    var group = group(heading, options);
    group.put("question", true);
    group.put("hint", hint);
    groups.add(group);
    ids(groups, name);
    page.title(heading).form(shown)
        .put("groups", groups)
        .put("hidden", hidden)
        .put("action", action)
        .put("backUrl", backUrl)
        .put("error", shown.errors().isEmpty() ? null : shown.errors().get(0).text())
        .put("button", page.t("form.continue"))
        .status(shown.hasErrors() ? 422 : 200)
        .send();
  }

  static Map<String, Object> group(String legend, List<Map<String, Object>> options) {
    var group = new LinkedHashMap<String, Object>();
    group.put("legend", legend);
    group.put("options", options);
    return group;
  }

  /** Gives each radio its id ({@code name} for the first, which the error summary links to) and name. */
  static void ids(List<Map<String, Object>> groups, String name) {
    int i = 0;
    for (var group : groups) {
      @SuppressWarnings("unchecked")
      var options = (List<Map<String, Object>>) group.get("options");
      for (var option : options) {
        option.put("id", i == 0 ? name : name + "-" + (i + 1));
        option.put("name", name);
        i++;
      }
      group.put("first", groups.indexOf(group) == 0);
    }
  }

  static Map<String, Object> option(String value, String label, String hint, String chosen) {
    var option = new LinkedHashMap<String, Object>();
    option.put("value", value);
    option.put("label", label);
    option.put("hint", hint);
    option.put("checked", value.equals(chosen));
    return option;
  }

  private static Map<String, Object> row(Page page, String key, String value, String changeUrl, String what) {
    var row = new LinkedHashMap<String, Object>();
    row.put("key", page.t(key));
    row.put("value", value);
    row.put("changeUrl", page.link(changeUrl));
    row.put("changeWhat", page.t(key).toLowerCase(page.lang().locale()));
    row.put("id", "change-" + what);
    return row;
  }

  /** A flow that cannot go on (the point or service gone, a changed address): start again. */
  private void restart(RoutingContext ctx, Throwable e) {
    if (e instanceof Problem p && (p.status() == 404 || p.status() == 422)) {
      Forms.seeOther(ctx, link(ctx, BOOK));
    } else {
      ctx.fail(e);
    }
  }

  /** A link to one of our pages in this request's language. */
  private String link(RoutingContext ctx, String path) {
    return pages.link(ctx, path);
  }

  static String name(Service service, Lang lang) {
    return lang == Lang.EN ? service.nameEn() : service.nameSv();
  }

  private static String address(ServicePoint point) {
    String town = point.city() == null ? null : (point.postalCode() != null ? point.postalCode() + " " : "") + point.city();
    if (point.street() == null) {
      return town;
    }
    return town == null ? point.street() : point.street() + ", " + town;
  }

  static UUID uuid(String text) {
    try {
      return text == null ? null : UUID.fromString(text.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static LocalDate date(String text) {
    try {
      return text == null ? null : LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static OffsetDateTime instant(String text) {
    try {
      return text == null || text.isBlank() ? null : OffsetDateTime.parse(text.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static String encode(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
