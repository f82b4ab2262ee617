package org.labmeter.metering.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.labmeter.metering.auth.TokenException;
import org.labmeter.metering.registry.RegistryRejection;
import org.labmeter.wire.Ids;

/** JSON request bodies of the registry and token routes, read with errors that name the field. */
final class Bodies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Bodies() {}

  static JsonNode object(RoutingContext ctx) {
    Buffer buf = ctx.body().buffer();
    try {
      JsonNode n = buf == null || buf.length() == 0 ? null : JSON.readTree(buf.getBytes());
      if (n == null || !n.isObject()) {
        throw new ApiError(400, "invalid_body", "send a JSON object", "body");
      }
      return n;
    } catch (IOException e) {
      throw new ApiError(400, "invalid_body", "the body is not JSON", "body");
    }
  }

  static String text(JsonNode b, String field) {
    String v = optionalText(b, field);
    if (v == null) {
      throw ApiError.badRequest(field, field + " is required (a string)");
    }
    return v;
  }

  static String optionalText(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw ApiError.badRequest(field, field + " must be a non-empty string");
    }
    return v.asText();
  }

  static String id(JsonNode b, String field) {
    String v = text(b, field);
    if (!Ids.isValid(v)) {
      throw ApiError.badRequest(field, field + " must be 1..64 characters of [A-Za-z0-9._-]");
    }
    return v;
  }

  static double number(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || !v.isNumber()) {
      throw ApiError.badRequest(field, field + " is required (a number)");
    }
    return v.asDouble();
  }

  static long wholeNumber(JsonNode b, String field, long fallback) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw ApiError.badRequest(field, field + " must be a whole number");
    }
    return v.asLong();
  }

  static BigDecimal optionalDecimal(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw ApiError.badRequest(field, field + " must be a number");
    }
    return v.decimalValue();
  }

  static Instant instant(JsonNode b, String field) {
    String v = text(b, field);
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest(
          field, field + " must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
    }
  }

  static List<String> ids(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw ApiError.badRequest(field, field + " is required (a non-empty array of ids)");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual() || !Ids.isValid(e.asText())) {
        throw ApiError.badRequest(field, field + " must hold ids of [A-Za-z0-9._-]");
      }
      out.add(e.asText());
    }
    return out;
  }

  /** Runs registry or token work, turning their refusals into error answers. */
  static Object refusalsAsErrors(Callable<Object> work) throws Exception {
    try {
      return work.call();
    } catch (RegistryRejection e) {
      throw switch (e.kind()) {
        case INVALID -> ApiError.badRequest(e.field(), e.getMessage());
        case NOT_FOUND -> ApiError.notFound(e.field(), e.getMessage());
        case CONFLICT -> new ApiError(409, "conflict", e.getMessage(), e.field());
      };
    } catch (TokenException e) {
      throw ApiError.badRequest(e.field(), e.getMessage());
    }
  }
}
