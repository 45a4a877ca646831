package se.servicepunkt.page;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One page being answered: its template (under {@code pages/}), title, values, status and scripts;
 * {@link #send} renders it inside the layout with the security and cache headers. Made by
 * {@link Pages#page}. Templates read the words of the page's language as {@code {{t.KEY}}}, the
 * page's links (with the language where needed) as {@code {{links.NAME}}}, and whatever the
 * handler {@link #put}.
 */
public final class Page {
  private final Pages pages;
  private final RoutingContext ctx;
  private final String template;
  private final Lang lang;
  private final Map<String, Object> scope = new HashMap<>();
  private final List<String> scripts = new ArrayList<>();
  private String title;
  private int status = 200;
  private boolean personal;
  private boolean errors;
  private String bodyClass;

  Page(Pages pages, RoutingContext ctx, String template, Lang lang) {
    this.pages = pages;
    this.ctx = ctx;
    this.template = template;
    this.lang = lang;
  }

  public Lang lang() {
    return lang;
  }

  /** The page's title (without the site's name, which the layout adds). */
  public Page title(String text) {
    this.title = text;
    return this;
  }

  public Page put(String key, Object value) {
    scope.put(key, value);
    return this;
  }

  public Page status(int code) {
    this.status = code;
    return this;
  }

  /** The page shows something of one person (a booking, a ticket): never stored by a browser or proxy. */
  public Page personal() {
    this.personal = true;
    return this;
  }

  /** A class on {@code <body>}, for a page laid out unlike the others (the reception screen). */
  public Page bodyClass(String name) {
    this.bodyClass = name;
    return this;
  }

  /** Loads one of the static ES modules ({@code pages/static/NAME}) on this page. */
  public Page script(String name) {
    String url = pages.assets().url(name);
    if (!scripts.contains(url)) {
      scripts.add(url);
    }
    return this;
  }

  /** Puts the form's values and errors in the scope; with errors, the title says so and the summary is focused. */
  public Page form(Form form) {
    scope.putAll(form.scope());
    if (form.hasErrors()) {
      errors = true;
      script("error-summary.js");
    }
    return this;
  }

  /** A message of the page's language. */
  public String t(String key) {
    return pages.messages().get(lang, key);
  }

  /** A message of the page's language with its {@code {0}}, {@code {1}} … filled in. */
  public String format(String key, Object... args) {
    return pages.messages().format(lang, key, args);
  }

  /** A link to one of our pages that keeps this page's language (see {@link Pages#link}). */
  public String link(String path) {
    return pages.link(ctx, lang, path);
  }

  public void send() {
    pages.send(ctx, this);
  }

  String template() {
    return template;
  }

  String title() {
    return title;
  }

  int status() {
    return status;
  }

  boolean isPersonal() {
    return personal;
  }

  String bodyClass() {
    return bodyClass;
  }

  boolean hasErrors() {
    return errors;
  }

  Map<String, Object> scope() {
    return scope;
  }

  List<String> scripts() {
    return scripts;
  }
}
