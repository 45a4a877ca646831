package se.servicepunkt.directory;

import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.ZoneId;
import se.servicepunkt.auth.Passwords;
import se.servicepunkt.auth.StaffAuth;

/** Mounts the directory: organisations, service points and what belongs to them, services, staff and shifts. */
public final class DirectoryRoutes {
  private DirectoryRoutes() {
  }

  /**
   * @param clock the time of every business decision
   * @param zone the zone of new service points, and of "today" where no point says otherwise
   */
  public static void mount(Router api, Pool pool, StaffAuth auth, Passwords passwords, Clock clock, ZoneId zone) {
    var access = new PointAccess(clock);
    new OrganisationRoutes(pool, auth).mount(api);
    new ServicePointRoutes(pool, auth, access, zone).mount(api);
    new HoursRoutes(pool, auth, access).mount(api);
    new CounterRoutes(pool, auth, access).mount(api);
    new ServiceRoutes(pool, auth).mount(api);
    new StaffRoutes(pool, auth, passwords).mount(api);
    new ShiftRoutes(pool, auth, clock, zone).mount(api);
  }
}
