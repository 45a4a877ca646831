package se.servicepunkt.page;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.servicepunkt.core.Problem;
import se.servicepunkt.web.FailureHandler;

/**
 * The page toolkit every feature that serves pages uses: templates (mustache.java, one layout and
 * one template per page under {@code pages/}), words from the message bundles, the language of
 * each request, static files, forms, and the error pages. Everything is read from the class path
 * once, at start-up ({@link #load}); answering a request touches no disk.
 *
 * <p><b>Language.</b> Swedish by default, English at the same addresses. {@code ?lang=en} (or
 * {@code sv}) on any page chooses the language, and is remembered in the cookie {@code sp_lang}
 * for a year; without the parameter the cookie decides. The layout's language switch links to the
 * same page with the other {@code lang}, keeping the rest of the query (a manage link's token).
 * Links between English pages carry {@code ?lang=en} as well, so the choice holds with cookies off.
 * A page about one thing written in a language of its own (a booking) passes that language as the
 * fallback instead of the cookie ({@link #lang(RoutingContext, Lang)}).
 */
public final class Pages {
  private static final Logger LOG = LoggerFactory.getLogger(Pages.class);
  public static final String COOKIE = "sp_lang";
  private static final String CTX_LANG = "page.lang";
  private static final String LAYOUT = "layout.html";
  private static final int COOKIE_SECONDS = 365 * 24 * 3600;

  private final Messages messages;
  private final Assets assets;
  private final Forms forms;
  private final boolean secureCookie;
  private final DefaultMustacheFactory templates = new DefaultMustacheFactory("pages");

  private Pages(Messages messages, Assets assets, String publicUrl) {
    this.messages = messages;
    this.assets = assets;
    this.forms = new Forms(publicUrl);
    this.secureCookie = publicUrl != null && publicUrl.startsWith("https:");
  }

  /**
   * Reads the message bundles, the static files and every template of {@code pages/} (blocking:
   * call it at start-up, never on an event loop); a missing message or broken template stops the
   * start.
   */
  public static Pages load(String publicUrl) {
    var pages = new Pages(Messages.load(), Assets.load(), publicUrl);
    for (String name : Resources.list("pages")) {
      if (name.endsWith(".html")) {
        pages.precompile(name);
      }
    }
    return pages;
  }

  /** Compiles a template now, so that rendering it later reads nothing from disk (tests add their own). */
  public void precompile(String template) {
    templates.compile(template);
  }

  public Messages messages() {
    return messages;
  }

  public Assets assets() {
    return assets;
  }

  public Forms forms() {
    return forms;
  }

  /** Serves the static files at {@code /static/NAME}. */
  public void mount(Router root) {
    root.get(Assets.PATH + ":name").handler(assets);
  }

  /**
   * The language of this request: {@code ?lang=} (or a form's {@code lang} field), remembered in
   * the cookie; else the cookie; else Swedish.
   */
  public Lang lang(RoutingContext ctx) {
    Lang chosen = chosen(ctx);
    if (chosen != null) {
      return chosen;
    }
    Lang remembered = Lang.parse(cookie(ctx));
    return remember(ctx, remembered != null ? remembered : Lang.DEFAULT);
  }

  /** The language of a page about something written in a language of its own: {@code ?lang=}, else {@code fallback}. */
  public Lang lang(RoutingContext ctx, Lang fallback) {
    Lang chosen = chosen(ctx);
    return chosen != null ? chosen : remember(ctx, fallback);
  }

  private Lang chosen(RoutingContext ctx) {
    String asked = ctx.queryParams().get("lang");
    if (asked == null && ctx.request().isExpectMultipart()) {
      asked = ctx.request().getFormAttribute("lang"); // a form's own field (read by Forms.body)
    }
    Lang chosen = Lang.parse(asked);
    if (chosen == null) {
      return null;
    }
    if (!chosen.code().equals(cookie(ctx))) {
      ctx.response().addCookie(Cookie.cookie(COOKIE, chosen.code()).setPath("/").setMaxAge(COOKIE_SECONDS)
          .setSameSite(CookieSameSite.LAX).setHttpOnly(true).setSecure(secureCookie));
    }
    return remember(ctx, chosen);
  }

  private static Lang remember(RoutingContext ctx, Lang lang) {
    ctx.put(CTX_LANG, lang);
    return lang;
  }

  private static String cookie(RoutingContext ctx) {
    var cookie = ctx.request().getCookie(COOKIE);
    return cookie == null ? null : cookie.getValue();
  }

  /** A page of this request, in the language {@link #lang} chose for it (choosing it now if no one has). */
  public Page page(RoutingContext ctx, String template) {
    Lang lang = ctx.get(CTX_LANG);
    return new Page(this, ctx, template, lang != null ? lang : lang(ctx));
  }

  /**
   * A link to {@code path} (which may have a query) for a page in {@code lang}: with
   * {@code lang=en} on English pages, and {@code lang=sv} where the cookie remembers English.
   */
  String link(RoutingContext ctx, Lang lang, String path) {
    Lang remembered = Lang.parse(cookie(ctx));
    boolean plain = lang == Lang.DEFAULT && (remembered == null || remembered == Lang.DEFAULT);
    return plain ? path : path + (path.contains("?") ? "&" : "?") + "lang=" + lang.code();
  }

  /** A link to {@code path} in this request's language (see {@link #link(RoutingContext, Lang, String)}), e.g. for a 303. */
  public String link(RoutingContext ctx, String path) {
    Lang lang = ctx.get(CTX_LANG);
    return link(ctx, lang != null ? lang : lang(ctx), path);
  }

  /** The address of this page in the other language: the same path and query, another {@code lang}. */
  private static String switchUrl(RoutingContext ctx, Lang other) {
    var query = new StringBuilder();
    ctx.queryParams().forEach(e -> {
      if (!"lang".equals(e.getKey())) {
        query.append(encode(e.getKey())).append('=').append(encode(e.getValue())).append('&');
      }
    });
    return ctx.request().path() + "?" + query + "lang=" + other.code();
  }

  void send(RoutingContext ctx, Page page) {
    var response = ctx.response();
    if (response.ended()) {
      return;
    }
    Lang lang = page.lang();
    Map<String, Object> t = messages.tree(lang);
    var scope = new HashMap<String, Object>(page.scope());
    scope.put("t", t);
    scope.put("lang", lang.code());
    scope.put("links", links(ctx, lang));
    String body = render(page.template(), scope);

    var layout = new HashMap<String, Object>();
    layout.put("t", t);
    layout.put("lang", lang.code());
    layout.put("title", page.title() != null ? page.title() : messages.get(lang, "site.name"));
    layout.put("hasErrors", page.hasErrors());
    layout.put("otherLang", lang.other().code());
    layout.put("switchUrl", switchUrl(ctx, lang.other()));
    layout.put("links", scope.get("links"));
    layout.put("css", assets.url("site.css"));
    layout.put("icon", assets.url("icon.svg"));
    layout.put("scripts", page.scripts());
    layout.put("bodyClass", page.bodyClass());
    layout.put("body", body);
    SecurityHeaders.apply(response.headers());
    response.setStatusCode(page.status())
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Language", lang.code())
        .putHeader("Cache-Control", page.isPersonal() ? "no-store" : "no-cache")
        .putHeader("Vary", "Cookie")
        .end(render(LAYOUT, layout));
  }

  private Map<String, String> links(RoutingContext ctx, Lang lang) {
    var links = new LinkedHashMap<String, String>();
    links.put("start", link(ctx, lang, "/"));
    links.put("accessibility", link(ctx, lang, "/tillganglighet"));
    links.put("privacy", link(ctx, lang, "/integritet"));
    return links;
  }

  private String render(String template, Map<String, ?> scope) {
    Mustache mustache = templates.compile(template); // kept by the factory since start-up
    var out = new StringWriter(4096);
    mustache.execute(out, scope);
    return out.toString();
  }

  /** The 404 page. */
  public void notFound(RoutingContext ctx) {
    error(ctx, 404);
  }

  /**
   * The error page for {@code status}, in the request's language: not found (404, 405), a staff
   * sign-in that has ended (401: a clerk booking on a resident's behalf), not from our pages (403), too much at once (429, 503), a form that could not be read (400, 413), or
   * our own fault (500).
   */
  public void error(RoutingContext ctx, int status) {
    String kind = switch (status) {
      case 404, 405, 410 -> "notFound";
      case 401 -> "signedOut";
      case 403 -> "forbidden";
      case 429, 503 -> "busy";
      case 400, 413, 415, 422 -> "badRequest";
      default -> "internal";
    };
    Page page = page(ctx, "error.html").status(status);
    page.title(page.t("error." + kind + ".title"))
        .put("heading", page.t("error." + kind + ".title"))
        .put("text", page.t("error." + kind + ".text"))
        .send();
  }

  /** Failures of page routes become error pages (the API's stay problem+json). */
  public Handler<RoutingContext> failureHandler() {
    return ctx -> {
      Problem problem = FailureHandler.toProblem(ctx.failure(), ctx.statusCode());
      if (problem.status() >= 500 && problem.status() != 503) {
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
      }
      var response = ctx.response();
      if (response.ended()) {
        return;
      }
      if (response.headWritten()) {
        response.reset();
        return;
      }
      if (problem.retryAfterSeconds() != null) {
        response.putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
      }
      error(ctx, problem.status());
    };
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
