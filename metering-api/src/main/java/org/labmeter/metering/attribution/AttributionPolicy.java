package org.labmeter.metering.attribution;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The profile-level rules for attribution. The canonical constructor refuses bad values with a
 * message that names the field, so no invalid policy can exist.
 *
 * @param prepCap most preparation time credited to one session
 * @param postCap most post-processing time credited to one session
 * @param overrunTolerance ACTIVE time past a session's end up to this long is not an overrun
 * @param noShowThreshold a session with less ACTIVE time than this inside it is a no-show
 * @param verifiedShare a session's telemetry is verified when at least this share (0 &lt; x &le; 1)
 *     of its attributed ACTIVE time is held by verified samples
 */
public record AttributionPolicy(
    Duration prepCap,
    Duration postCap,
    Duration overrunTolerance,
    Duration noShowThreshold,
    double verifiedShare) {

  /** Longest duration accepted for any field, far from millisecond overflow. */
  static final Duration MAX_DURATION = Duration.ofDays(3660);

  /** 30 min prep and post caps, 15 min overrun tolerance, 5 min no-show threshold, 0.95 share. */
  public static final AttributionPolicy DEFAULT = create(b -> {});

  public AttributionPolicy {
    requireDuration("prepCap", prepCap);
    requireDuration("postCap", postCap);
    requireDuration("overrunTolerance", overrunTolerance);
    requireDuration("noShowThreshold", noShowThreshold);
    if (!(verifiedShare > 0 && verifiedShare <= 1)) {
      throw new IllegalArgumentException(
          "verifiedShare (" + verifiedShare + ") must be greater than 0 and at most 1");
    }
  }

  /** Builds a policy from the defaults; {@code build()} throws naming the field. */
  public static AttributionPolicy create(Consumer<Builder> spec) {
    Builder b = new Builder();
    spec.accept(b);
    return b.build();
  }

  private static void requireDuration(String field, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(field + " must be set");
    }
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " (" + d + ") must be zero or positive");
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

  /** Collects the fields, starting from the documented defaults. */
  public static final class Builder {
    private Duration prepCap = Duration.ofMinutes(30);
    private Duration postCap = Duration.ofMinutes(30);
    private Duration overrunTolerance = Duration.ofMinutes(15);
    private Duration noShowThreshold = Duration.ofMinutes(5);
    private double verifiedShare = 0.95;

    private Builder() {}

    public Builder prepCap(Duration d) {
      this.prepCap = d;
      return this;
    }

    public Builder postCap(Duration d) {
      this.postCap = d;
      return this;
    }

    public Builder overrunTolerance(Duration d) {
      this.overrunTolerance = d;
      return this;
    }

    public Builder noShowThreshold(Duration d) {
      this.noShowThreshold = d;
      return this;
    }

    public Builder verifiedShare(double share) {
      this.verifiedShare = share;
      return this;
    }

    public AttributionPolicy build() {
      return new AttributionPolicy(
          prepCap, postCap, overrunTolerance, noShowThreshold, verifiedShare);
    }
  }
}
