package org.labmeter.metering.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id and writes one access line when its answer is sent. The id is the
 * caller's {@code X-Request-Id} when it is sane (1..64 of {@code [A-Za-z0-9._:-]}), else a new
 * UUID; it is echoed in the response header, added to error bodies, and put in the SLF4J MDC under
 * {@value #MDC_KEY} while the request's own code runs ({@link #withId}). The access line carries
 * the path without its query string, so tokens passed as query parameters never reach the log;
 * headers are never logged.
 */
final class RequestLog implements Handler<RoutingContext> {
  static final String HEADER = "X-Request-Id";
  static final String MDC_KEY = "requestId";
  private static final String CTX_KEY = "labmeter.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Logger access = LoggerFactory.getLogger("org.labmeter.metering.access");

  @Override
  public void handle(RoutingContext ctx) {
    long startNanos = System.nanoTime();
    String incoming = ctx.request().getHeader(HEADER);
    String id = incoming != null && SANE.matcher(incoming).matches() ? incoming : newId();
    ctx.put(CTX_KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.addEndHandler(
        done ->
            withId(
                id,
                () ->
                    access.info(
                        "{} {} {} {} ms id={}",
                        ctx.request().method(),
                        ctx.request().path(),
                        ctx.response().getStatusCode(),
                        (System.nanoTime() - startNanos) / 1_000_000,
                        id)));
    withId(id, ctx::next);
  }

  /** The request's id, or null for a context this handler has not seen. */
  static String id(RoutingContext ctx) {
    return ctx.get(CTX_KEY);
  }

  /** Runs {@code work} with {@code id} in the MDC, restoring what was there before. */
  static void withId(String id, Runnable work) {
    if (id == null) {
      work.run();
      return;
    }
    String before = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, id);
    try {
      work.run();
    } finally {
      restore(before);
    }
  }

  /** Like {@link #withId(String, Runnable)} for work on a worker thread. */
  static <T> Callable<T> withId(String id, Callable<T> work) {
    if (id == null) {
      return work;
    }
    return () -> {
      String before = MDC.get(MDC_KEY);
      MDC.put(MDC_KEY, id);
      try {
        return work.call();
      } finally {
        restore(before);
      }
    };
  }

  private static void restore(String before) {
    if (before == null) {
      MDC.remove(MDC_KEY);
    } else {
      MDC.put(MDC_KEY, before);
    }
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }
}
