package se.servicepunkt.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import se.servicepunkt.page.Form;
import se.servicepunkt.page.Forms;
import se.servicepunkt.page.Page;
import se.servicepunkt.page.Pages;
import se.servicepunkt.page.SecurityHeaders;

/**
 * A small form built only with the page toolkit, served on a port of its own, for testing the
 * toolkit's form pattern (cross-site check, error summary, values kept, POST-redirect-GET) before
 * the features' own forms exist: {@code /form} asks for a booking reference and an e-mail address,
 * {@code /boom} fails.
 */
public final class FormPage implements AutoCloseable {
  private final HttpServer server;

  private FormPage(HttpServer server) {
    this.server = server;
  }

  public static FormPage start(Vertx vertx, Pages pages) {
    pages.precompile("test-form.html");
    Router router = Router.router(vertx);
    router.route().handler(new SecurityHeaders());
    pages.mount(router);
    router.get("/form").handler(ctx -> show(pages.page(ctx, "test-form.html"), Form.empty()).send());
    router.get("/form/done").handler(ctx -> pages.page(ctx, "test-form.html").title("Klart")
        .put("done", "Formuläret är skickat.").send());
    router.post("/form").handler(pages.forms().sameOrigin()).handler(pages.forms().body()).handler(ctx -> {
      Form form = Form.of(ctx);
      Page page = show(pages.page(ctx, "test-form.html"), form);
      String reference = form.text("reference");
      if (reference == null) {
        form.error("reference", page.lang().code().equals("en") ? "Enter your booking reference"
            : "Skriv ditt bokningsnummer");
      } else if (!reference.matches("[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}")) {
        form.error("reference", page.lang().code().equals("en") ? "A booking reference is 8 letters and digits, like K7XM-2QPD"
            : "Ett bokningsnummer har 8 bokstäver och siffror, till exempel K7XM-2QPD");
      }
      String email = form.text("email");
      if (email == null || !email.contains("@")) {
        form.error("email", page.lang().code().equals("en") ? "Enter an e-mail address, like name@example.se"
            : "Skriv en e-postadress, till exempel namn@exempel.se");
      }
      if (form.hasErrors()) {
        page.status(422).form(form).send();
      } else {
        Forms.seeOther(ctx, page.link("/form/done"));
      }
    });
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("a bug");
    });
    router.route().failureHandler(pages.failureHandler());
    router.errorHandler(404, pages::notFound);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();
    return new FormPage(server);
  }

  private static Page show(Page page, Form form) {
    boolean en = page.lang().code().equals("en");
    form.field("reference").withLabel(en ? "Booking reference" : "Bokningsnummer")
        .withHint(en ? "It is in your confirmation e-mail, for example K7XM-2QPD" : "Det står i bekräftelsemejlet, till exempel K7XM-2QPD")
        .withWidth("10").withAutocomplete("off").withoutSpellcheck();
    form.field("email").withLabel(en ? "E-mail address" : "E-postadress").withType("email")
        .withAutocomplete("email").withoutSpellcheck();
    return page.title(en ? "Find your booking (test)" : "Hitta din bokning (test)").form(form);
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
