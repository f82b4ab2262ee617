package org.labmeter.metering.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every route answers: the work runs on a worker thread (JDBC and store reads never block the
 * event loop), a result becomes JSON or a download, an {@link ApiError} becomes the error JSON with
 * its status, anything else a logged 500.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A result sent as a file rather than as JSON. */
  record Download(byte[] bytes, String contentType, String fileName) {}

  private Replies() {}

  static void blocking(Vertx vertx, RoutingContext ctx, int status, Callable<Object> work) {
    String id = RequestLog.id(ctx);
    vertx
        .executeBlocking(RequestLog.withId(id, work), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failed(ctx, ar.cause());
              } else if (ar.result() instanceof Download d) {
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("content-type", d.contentType())
                    .putHeader(
                        "content-disposition", "attachment; filename=\"" + d.fileName() + "\"")
                    .end(Buffer.buffer(d.bytes()));
              } else {
                json(ctx, status, ar.result());
              }
            });
  }

  static void failed(RoutingContext ctx, Throwable cause) {
    if (cause instanceof ApiError e) {
      error(ctx, e);
      return;
    }
    RequestLog.withId(
        RequestLog.id(ctx),
        () ->
            log.warn("request {} {} failed", ctx.request().method(), ctx.request().path(), cause));
    json(
        ctx,
        500,
        withRequestId(
            ctx,
            JsonViews.error("internal_error", "the request failed: " + cause.getMessage(), null)));
  }

  static void error(RoutingContext ctx, ApiError e) {
    json(ctx, e.status(), withRequestId(ctx, JsonViews.error(e.code(), e.getMessage(), e.field())));
  }

  /** Adds the request's id to an error body, so a caller can quote it when reporting a problem. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> withRequestId(RoutingContext ctx, Map<String, Object> body) {
    String id = RequestLog.id(ctx);
    if (id != null && body.get("error") instanceof Map<?, ?> e) {
      ((Map<String, Object>) e).put("requestId", id);
    }
    return body;
  }

  static void json(RoutingContext ctx, int status, Object body) {
    try {
      ctx.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json; charset=utf-8")
          .end(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      log.error("cannot write the answer to {} as JSON", ctx.request().path(), e);
      ctx.response().setStatusCode(500).end();
    }
  }
}
