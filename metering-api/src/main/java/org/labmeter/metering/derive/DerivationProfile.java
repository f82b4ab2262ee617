package org.labmeter.metering.derive;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How one instrument's power and run flag are turned into states. Profiles are per instrument
 * because fixed global thresholds fail: some instruments draw nearly as much on standby as when
 * running. A result names the profile it was derived with through {@link #parameterHash()}, so an
 * evaluator can check that the same parameters give the same hours.
 *
 * <p>The canonical constructor refuses inconsistent values, so no invalid profile can exist; build
 * one through {@link #create(Consumer)}.
 *
 * @param offBelowW power below this is OFF rather than STANDBY (watts)
 * @param onThresholdW the high level is entered at P &ge; this (T_on, watts)
 * @param offThresholdW the high level is left at P &le; this (T_off, watts)
 * @param minOn an ACTIVE run shorter than this is a blip and dropped (t_on); zero keeps all
 * @param minOff a low run between two ACTIVE runs shorter than this is a dip and merged (t_off)
 * @param maxSampleGap the longest time a sample's values may hold; a longer gap is UNKNOWN
 */
public record DerivationProfile(
    double offBelowW,
    double onThresholdW,
    double offThresholdW,
    Duration minOn,
    Duration minOff,
    Duration maxSampleGap) {

  /**
   * Longest duration accepted for any field; keeps all millisecond arithmetic far from overflow.
   */
  static final Duration MAX_DURATION = Duration.ofDays(3660);

  private static final String CANONICAL_FORMAT = "labmeter-derivation-profile/1";

  public DerivationProfile {
    requireWatts("offBelowW", offBelowW);
    requireWatts("onThresholdW", onThresholdW);
    requireWatts("offThresholdW", offThresholdW);
    if (offThresholdW > onThresholdW) {
      throw new IllegalArgumentException(
          "offThresholdW ("
              + offThresholdW
              + ") must not exceed onThresholdW ("
              + onThresholdW
              + ")");
    }
    if (offBelowW > offThresholdW) {
      throw new IllegalArgumentException(
          "offBelowW (" + offBelowW + ") must not exceed offThresholdW (" + offThresholdW + ")");
    }
    requireDuration("minOn", minOn, false);
    requireDuration("minOff", minOff, false);
    requireDuration("maxSampleGap", maxSampleGap, true);
  }

  /** Builds a profile; {@code build()} throws {@link IllegalArgumentException} naming the field. */
  public static DerivationProfile create(Consumer<Builder> spec) {
    Builder b = new Builder();
    spec.accept(b);
    return b.build();
  }

  /**
   * The parameters as text that any language can reproduce: one {@code name=value} line each, watts
   * as the exact decimal value of the double (no exponent, no trailing zeros), durations as whole
   * milliseconds.
   */
  public String canonicalText() {
    return CANONICAL_FORMAT
        + "\noffBelowW="
        + exact(offBelowW)
        + "\nonThresholdW="
        + exact(onThresholdW)
        + "\noffThresholdW="
        + exact(offThresholdW)
        + "\nminOnMillis="
        + minOn.toMillis()
        + "\nminOffMillis="
        + minOff.toMillis()
        + "\nmaxSampleGapMillis="
        + maxSampleGap.toMillis()
        + "\n";
  }

  /** Lower-case hex SHA-256 of {@link #canonicalText()} in UTF-8. */
  public String parameterHash() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(canonicalText().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  private static String exact(double watts) {
    BigDecimal d = new BigDecimal(watts);
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static void requireWatts(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number of watts, got " + value);
    }
    if (value < 0) {
      throw new IllegalArgumentException(field + " (" + value + ") must not be negative");
    }
  }

  private static void requireDuration(String field, Duration d, boolean positive) {
    if (d == null) {
      throw new IllegalArgumentException(field + " must be set");
    }
    if (positive ? d.isNegative() || d.isZero() : d.isNegative()) {
      throw new IllegalArgumentException(
          field + " (" + d + ") must be " + (positive ? "positive" : "zero or positive"));
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          field + " (" + d + ") must not exceed " + MAX_DURATION.toDays() + " days");
    }
    if (d.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          field + " (" + d + ") must be a whole number of milliseconds");
    }
  }

  /** Collects the fields; thresholds and maxSampleGap are required, minOn and minOff default 0. */
  public static final class Builder {
    private double offBelowW = Double.NaN;
    private double onThresholdW = Double.NaN;
    private double offThresholdW = Double.NaN;
    private Duration minOn = Duration.ZERO;
    private Duration minOff = Duration.ZERO;
    private Duration maxSampleGap;

    private Builder() {}

    public Builder offBelowW(double watts) {
      this.offBelowW = watts;
      return this;
    }

    public Builder onThresholdW(double watts) {
      this.onThresholdW = watts;
      return this;
    }

    public Builder offThresholdW(double watts) {
      this.offThresholdW = watts;
      return this;
    }

    public Builder minOn(Duration minOn) {
      this.minOn = minOn;
      return this;
    }

    public Builder minOff(Duration minOff) {
      this.minOff = minOff;
      return this;
    }

    public Builder maxSampleGap(Duration maxSampleGap) {
      this.maxSampleGap = maxSampleGap;
      return this;
    }

    /** Copies every field of {@code p}, so a variant differs in what is set afterwards. */
    public Builder from(DerivationProfile p) {
      Objects.requireNonNull(p, "p");
      return offBelowW(p.offBelowW)
          .onThresholdW(p.onThresholdW)
          .offThresholdW(p.offThresholdW)
          .minOn(p.minOn)
          .minOff(p.minOff)
          .maxSampleGap(p.maxSampleGap);
    }

    public DerivationProfile build() {
      requireSet("offBelowW", offBelowW);
      requireSet("onThresholdW", onThresholdW);
      requireSet("offThresholdW", offThresholdW);
      return new DerivationProfile(
          offBelowW, onThresholdW, offThresholdW, minOn, minOff, maxSampleGap);
    }

    private static void requireSet(String field, double value) {
      // NaN is the "not set" marker here; an explicit NaN is refused the same way.
      if (Double.isNaN(value)) {
        throw new IllegalArgumentException(field + " must be set (watts)");
      }
    }
  }
}
