package se.servicepunkt.directory;

import io.vertx.ext.web.Router;
import se.servicepunkt.web.AppContext;

/** Mounts the directory: organisations, service points and what belongs to them, services, staff and shifts. */
public final class DirectoryRoutes {
  private DirectoryRoutes() {
  }

  public static void mount(Router api, AppContext app) {
    new OrganisationRoutes(app.pool(), app.staffAuth()).mount(api);
  }
}
