package se.servicepunkt.directory;

import se.servicepunkt.web.Requests;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.UUID;
import se.servicepunkt.auth.StaffAuth;
import se.servicepunkt.core.Input;
import se.servicepunkt.web.Responses;

/** Counters (desks and video rooms) of a service point: public list; host admins write. */
final class CounterRoutes {
  private final Pool pool;
  private final StaffAuth auth;
  private final PointAccess access;
  private final CounterRepository counters = new CounterRepository();

  CounterRoutes(Pool pool, StaffAuth auth, PointAccess access) {
    this.pool = pool;
    this.auth = auth;
    this.access = access;
  }

  void mount(Router api) {
    api.get("/service-points/:id/counters").handler(this::list);
    auth.protect(api.post("/service-points/:id/counters")).handler(this::create);
    auth.protect(api.put("/service-points/:id/counters/:counterId")).handler(this::update);
    auth.protect(api.delete("/service-points/:id/counters/:counterId")).handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    access.find(pool, ctx)
        .compose(point -> counters.list(pool, point.id()))
        .onComplete(Responses.list(ctx, Counter::toJson));
  }

  private void create(RoutingContext ctx) {
    Counter input = input(ctx);
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx)
            .compose(point -> counters.insert(tx, point.id(), input.name(), input.channel())))
        .map(counter -> counter.toJson())
        .onComplete(Responses.created(ctx, json -> ctx.request().path() + "/" + json.getString("id")));
  }

  private void update(RoutingContext ctx) {
    UUID counterId = Requests.pathId(ctx, "counterId", "The counter");
    Counter input = input(ctx);
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx)
            .compose(point -> counters.update(tx, point.id(), counterId, input.name(), input.channel())))
        .map(counter -> counter.toJson())
        .onComplete(Responses.ok(ctx));
  }

  /** The body of a create or update: name (1..60) and channel (default desk); id and point not yet known. */
  private static Counter input(RoutingContext ctx) {
    Input in = Requests.body(ctx);
    String name = in.text("name", 60);
    String channel = in.oneOf("channel", Set.of("desk", "video"), "desk");
    in.done();
    return new Counter(null, null, name, channel);
  }

  private void delete(RoutingContext ctx) {
    UUID counterId = Requests.pathId(ctx, "counterId", "The counter");
    pool.withTransaction(tx -> access.forHostAdmin(tx, ctx).compose(point -> counters.delete(tx, point.id(), counterId)))
        .onComplete(Responses.noContent(ctx));
  }
}
