package se.servicepunkt.booking;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.UUID;
import se.servicepunkt.auth.Caller;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.core.Problem;
import se.servicepunkt.web.Requests;
import se.servicepunkt.web.Responses;

/**
 * {@code GET} and {@code DELETE /personal-data?email=…} (or {@code ?reference=…}): a resident's
 * request to see or erase what is stored about them, answered by an administrator for their own
 * organisation's services, or by a system administrator for all.
 */
public final class PersonalDataRoutes {
  private final PersonalData data;
  private final StaffAuth auth;

  public PersonalDataRoutes(Pool pool, StaffAuth auth, Clock clock) {
    this.data = new PersonalData(pool, clock);
    this.auth = auth;
  }

  public void mount(Router api) {
    auth.protect(api.get("/personal-data")).handler(this::find);
    auth.protect(api.delete("/personal-data")).handler(this::erase);
  }

  private record Query(String email, String reference, UUID organisation) {
  }

  private static Query query(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (!caller.isSysadmin() && !caller.roles().contains(Caller.ADMIN)) {
      throw Problem.forbidden("Only an administrator may answer requests for personal data.");
    }
    Input in = Requests.query(ctx);
    String email = in.optionalText("email", 254);
    String reference = in.optionalText("reference", 20);
    in.check(email != null || reference != null, "email", "or reference is required");
    in.check(email == null || email.contains("@"), "email", "must be an e-mail address");
    in.done();
    return new Query(email, reference, caller.isSysadmin() ? null : caller.organisationId());
  }

  private void find(RoutingContext ctx) {
    Query q = query(ctx);
    data.find(q.email(), q.reference(), q.organisation()).onComplete(Responses.list(ctx, json -> json));
  }

  private void erase(RoutingContext ctx) {
    Query q = query(ctx);
    data.erase(q.email(), q.reference(), q.organisation()).onComplete(Responses.ok(ctx));
  }
}
