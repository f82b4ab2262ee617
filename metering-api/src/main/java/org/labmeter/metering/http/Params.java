package org.labmeter.metering.http;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Query parameters, parsed once for every route, with errors that name the parameter. */
final class Params {
  private Params() {}

  static Instant instant(RoutingContext ctx, String name, Instant fallback) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty() || values.get(0).isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(values.get(0));
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          name,
          name
              + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z, got '"
              + values.get(0)
              + "'");
    }
  }

  static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty() || values.get(0).isBlank()) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(values.get(0));
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiError.badRequest(
        name,
        name + " must be an integer in " + min + ".." + max + ", got '" + values.get(0) + "'");
  }
}
