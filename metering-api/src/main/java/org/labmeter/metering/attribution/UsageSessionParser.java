package org.labmeter.metering.attribution;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.labmeter.metering.attribution.SessionParseResult.FieldError;

/**
 * Reads usage sessions from text rows (a CSV line or a form, as field name to text), so that an
 * import reports every bad field of every row instead of stopping at the first. Field names: id,
 * kind, start, end, user, userEntityId, serviceWay, direction, purpose, funding, fee, voucherId,
 * voucherRedeemed, invoiced, prep, post. Times are ISO-8601 instants or epoch millis; prep and post
 * are ISO-8601 durations ({@code PT20M}) or millis; enum values are their names in any case, and
 * service way and direction also accept the national platform's Chinese names. The end-before-start
 * check is left to {@link AttributionEngine}, which reports it against the window's other rows.
 */
public final class UsageSessionParser {
  private UsageSessionParser() {}

  public static SessionParseResult parse(int row, Map<String, String> fields) {
    Reader r = new Reader(row, fields);
    String id = r.required("id");
    SessionKind kind = r.enumOf("kind", SessionKind.values(), e -> null, null);
    Long start = r.instant("start");
    Long end = r.instant("end");
    String user = r.required("user");
    String entity = r.required("userEntityId");
    ServiceWay way = r.enumOf("serviceWay", ServiceWay.values(), ServiceWay::label, null);
    ServiceDirection direction =
        r.enumOf("direction", ServiceDirection.values(), ServiceDirection::label, null);
    PurposeCategory purpose = r.enumOf("purpose", PurposeCategory.values(), e -> null, "NORMAL");
    String funding = r.optional("funding", "");
    BigDecimal fee = r.decimal("fee");
    String voucherId = r.optional("voucherId", null);
    boolean redeemed = r.bool("voucherRedeemed");
    boolean invoiced = r.bool("invoiced");
    long prep = r.duration("prep");
    long post = r.duration("post");
    if (!r.errors.isEmpty()) {
      return new SessionParseResult.Rejected(row, r.errors);
    }
    return new SessionParseResult.Parsed(
        row,
        new UsageSession(
            id, kind, start, end, user, entity, way, direction, purpose, funding, fee, voucherId,
            redeemed, invoiced, prep, post));
  }

  /** Reads fields of one row, collecting errors. */
  private static final class Reader {
    final int row;
    final Map<String, String> fields;
    final List<FieldError> errors = new ArrayList<>();

    Reader(int row, Map<String, String> fields) {
      this.row = row;
      this.fields = fields;
    }

    private String text(String field) {
      String v = fields.get(field);
      return v == null || v.isBlank() ? null : v.strip();
    }

    private void fail(String field, String value, String problem) {
      errors.add(
          new FieldError(
              row, field, value, "session row " + row + ": field " + field + ": " + problem));
    }

    String required(String field) {
      String v = text(field);
      if (v == null) {
        fail(field, null, "is required");
      }
      return v;
    }

    String optional(String field, String fallback) {
      String v = text(field);
      return v == null ? fallback : v;
    }

    <E extends Enum<E>> E enumOf(
        String field, E[] values, Function<E, String> label, String fallback) {
      String v = text(field);
      if (v == null) {
        v = fallback;
      }
      if (v == null) {
        fail(field, null, "is required; allowed values: " + allowed(values, label));
        return null;
      }
      for (E e : values) {
        if (e.name().equalsIgnoreCase(v) || v.equals(label.apply(e))) {
          return e;
        }
      }
      fail(field, v, "unknown value '" + v + "'; allowed values: " + allowed(values, label));
      return null;
    }

    private static <E extends Enum<E>> String allowed(E[] values, Function<E, String> label) {
      return Arrays.stream(values)
          .map(e -> label.apply(e) == null ? e.name() : e.name() + " (" + label.apply(e) + ")")
          .collect(Collectors.joining(", "));
    }

    Long instant(String field) {
      String v = text(field);
      if (v == null) {
        fail(field, null, "is required (ISO-8601 instant or epoch millis)");
        return null;
      }
      try {
        return isInteger(v) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
      } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
        fail(field, v, "'" + v + "' is not an ISO-8601 instant (2025-03-01T08:00:00Z) or millis");
        return null;
      }
    }

    long duration(String field) {
      String v = text(field);
      if (v == null) {
        return 0;
      }
      long millis;
      try {
        millis = isInteger(v) ? Long.parseLong(v) : Duration.parse(v).toMillis();
      } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
        fail(field, v, "'" + v + "' is not an ISO-8601 duration (PT20M) or millis");
        return 0;
      }
      if (millis < 0) {
        fail(field, v, "must not be negative");
        return 0;
      }
      return millis;
    }

    BigDecimal decimal(String field) {
      String v = text(field);
      if (v == null) {
        return BigDecimal.ZERO;
      }
      try {
        return new BigDecimal(v);
      } catch (NumberFormatException e) {
        fail(field, v, "'" + v + "' is not a decimal number");
        return BigDecimal.ZERO;
      }
    }

    boolean bool(String field) {
      String v = text(field);
      if (v == null) {
        return false;
      }
      switch (v.toLowerCase(Locale.ROOT)) {
        case "true", "yes", "1":
          return true;
        case "false", "no", "0":
          return false;
        default:
          fail(field, v, "unknown value '" + v + "'; allowed values: true, false, yes, no, 1, 0");
          return false;
      }
    }

    private static boolean isInteger(String v) {
      return v.matches("-?\\d+");
    }
  }
}
