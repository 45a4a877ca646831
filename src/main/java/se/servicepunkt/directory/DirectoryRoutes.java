package se.servicepunkt.directory;

import io.vertx.ext.web.Router;
import java.time.Clock;
import se.servicepunkt.AppContext;

/** Mounts the directory: organisations, service points and what belongs to them, services, staff and shifts. */
public final class DirectoryRoutes {
  private DirectoryRoutes() {
  }

  public static void mount(Router api, AppContext app) {
    var access = new PointAccess(Clock.systemUTC());
    new OrganisationRoutes(app.pool(), app.staffAuth()).mount(api);
    new ServicePointRoutes(app.pool(), app.staffAuth(), access).mount(api);
    new HoursRoutes(app.pool(), app.staffAuth(), access).mount(api);
    new CounterRoutes(app.pool(), app.staffAuth(), access).mount(api);
    new ServiceRoutes(app.pool(), app.staffAuth()).mount(api);
    new StaffRoutes(app.pool(), app.staffAuth(), app.passwords()).mount(api);
    new ShiftRoutes(app.pool(), app.staffAuth()).mount(api);
  }
}
