package se.servicepunkt.testing;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.core.streams.ReadStream;

/**
 * A web client interceptor that holds each answer, as it is dispatched to the test, to
 * {@link ApiContract}: a violation fails the request's future, so the test's {@code await()}
 * throws the {@link ContractViolation}.
 */
final class ContractCheckingInterceptor implements Handler<HttpContext<?>> {
  private static final String REQUEST_BODY = ContractCheckingInterceptor.class.getName() + ".requestBody";

  private final Vertx vertx;
  private final ApiContract contract;

  ContractCheckingInterceptor(Vertx vertx, ApiContract contract) {
    this.vertx = vertx;
    this.contract = contract;
  }

  @Override
  public void handle(HttpContext<?> context) {
    if (context.phase() == ClientPhase.PREPARE_REQUEST) {
      // Later phases no longer hold the body.
      context.set(REQUEST_BODY, bytes(context.body()));
    }
    if (context.phase() != ClientPhase.DISPATCH_RESPONSE) {
      context.next();
      return;
    }
    var request = context.requestOptions();
    var headers = MultiMap.caseInsensitiveMultiMap().addAll(context.request().headers());
    if (request.getHeaders() != null) {
      headers.addAll(request.getHeaders());
    }
    if (context.contentType() != null && !headers.contains("Content-Type")) {
      headers.set("Content-Type", context.contentType());
    }
    var response = context.response();
    var exchange = new Exchange(request.getMethod(), request.getURI(), headers, context.<Buffer>get(REQUEST_BODY),
        response.statusCode(), response.headers(), response.body() instanceof Buffer b ? b : null);
    contract.check(vertx, exchange).onComplete(checked -> {
      if (checked.succeeded()) {
        context.next();
      } else {
        context.fail(checked.cause());
      }
    });
  }

  /** The request body as sent, or null for none or a form (whose encoding this cannot see). */
  private static Buffer bytes(Object body) {
    if (body == null || body instanceof MultiMap || body instanceof ReadStream<?>) {
      return null;
    }
    if (body instanceof Buffer buffer) {
      return buffer;
    }
    return Json.encodeToBuffer(body);
  }
}
