package org.labmeter.metering.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The annual quota (定额机时) that utilisation (利用率) divides by: per category, with an optional quota
 * of each instrument's own that outranks its category's. An instrument with no entry is in {@link
 * #DEFAULT_CATEGORY}. Stored in tables {@code quota_category} and {@code instrument_quota}; see
 * docs/ledger.md.
 *
 * @param categories hours per year by category name
 * @param instruments each configured instrument's category and own quota
 */
public record QuotaPolicy(
    Map<String, Double> categories, Map<String, InstrumentQuota> instruments) {

  /** The category of an instrument nobody classified: the national survey tools' 1,600 h. */
  public static final String DEFAULT_CATEGORY = "NATIONAL";

  /** The most hours a year has (366 × 24). */
  public static final double MAX_HOURS_PER_YEAR = 8784;

  private static final Pattern CATEGORY = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");

  /**
   * The quotas the project ships (migration V5): national 1,600 h, general 1,400 h, special 800 h.
   */
  public static final QuotaPolicy DEFAULTS =
      new QuotaPolicy(
          Map.of("NATIONAL", 1600.0, "GENERAL", 1400.0, "SPECIAL_PURPOSE", 800.0), Map.of());

  /**
   * One instrument's quota setting.
   *
   * @param hoursPerYear its own quota, outranking the category's; empty to use the category's
   */
  public record InstrumentQuota(String instrumentId, String category, OptionalDouble hoursPerYear) {
    public InstrumentQuota {
      Objects.requireNonNull(instrumentId, "instrumentId");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(hoursPerYear, "hoursPerYear");
      if (hoursPerYear.isPresent()) {
        requireHours(
            "instrument_quota.hours_per_year of " + instrumentId, hoursPerYear.getAsDouble());
      }
    }
  }

  public QuotaPolicy {
    categories = Map.copyOf(categories);
    instruments = Map.copyOf(instruments);
    if (!categories.containsKey(DEFAULT_CATEGORY)) {
      throw new IllegalArgumentException(
          "quota_category must hold category " + DEFAULT_CATEGORY + " (the default)");
    }
    categories.forEach(
        (name, hours) -> {
          if (!CATEGORY.matcher(name).matches()) {
            throw new IllegalArgumentException(
                "quota_category.category '"
                    + name
                    + "' must be 1..32 characters of [A-Z0-9_], starting with a letter");
          }
          requireHours("quota_category.hours_per_year of " + name, hours);
        });
    Map<String, Double> known = categories;
    instruments.forEach(
        (id, q) -> {
          if (!known.containsKey(q.category())) {
            throw new IllegalArgumentException(
                "instrument_quota.category of "
                    + id
                    + " is '"
                    + q.category()
                    + "'; allowed: "
                    + known.keySet().stream().sorted().toList());
          }
        });
  }

  /** Hours per year for the instrument: its own quota, else its category's, else the default's. */
  public double hoursPerYear(String instrumentId) {
    InstrumentQuota q = instruments.get(instrumentId);
    if (q == null) {
      return categories.get(DEFAULT_CATEGORY);
    }
    return q.hoursPerYear().orElse(categories.get(q.category()));
  }

  /** The category the instrument is in. */
  public String categoryOf(String instrumentId) {
    InstrumentQuota q = instruments.get(instrumentId);
    return q == null ? DEFAULT_CATEGORY : q.category();
  }

  /** A copy with one instrument's setting replaced. */
  public QuotaPolicy with(InstrumentQuota q) {
    Map<String, InstrumentQuota> m = new LinkedHashMap<>(instruments);
    m.put(q.instrumentId(), q);
    return new QuotaPolicy(categories, m);
  }

  private static void requireHours(String field, double hours) {
    if (!(hours > 0) || hours > MAX_HOURS_PER_YEAR) {
      throw new IllegalArgumentException(
          field
              + " must be more than 0 and at most "
              + MAX_HOURS_PER_YEAR
              + " hours, got "
              + hours);
    }
  }
}
