package org.labmeter.metering.derive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Every version of one instrument's profile with the instant each applies from. A profile change is
 * a new version, never an edit, so a window that crosses a change is derived with each version over
 * its own part. The version in force at {@code t} follows the registry's rule: the highest version
 * whose {@code validFrom} is not after {@code t}, or the lowest version when none is.
 *
 * @param versions at least one, in any order; version numbers unique
 */
public record ProfileSchedule(List<Version> versions) {

  /** One version of the profile, in force from {@code validFromMillis}. */
  public record Version(int version, long validFromMillis, DerivationProfile profile) {
    public Version {
      Objects.requireNonNull(profile, "profile");
    }
  }

  public ProfileSchedule {
    if (versions == null || versions.isEmpty()) {
      throw new IllegalArgumentException("a profile schedule needs at least one version");
    }
    List<Version> sorted = new ArrayList<>(versions);
    sorted.sort(Comparator.comparingInt(Version::version));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).version() == sorted.get(i - 1).version()) {
        throw new IllegalArgumentException(
            "profile version " + sorted.get(i).version() + " appears twice");
      }
    }
    versions = List.copyOf(sorted);
  }

  /** A schedule of one profile that applies at every instant (version 1). */
  public static ProfileSchedule of(DerivationProfile profile) {
    return new ProfileSchedule(
        List.of(new Version(1, -ObservationSeries.MAX_ABS_TIMESTAMP_MILLIS, profile)));
  }

  /** The version in force at {@code t}. */
  public Version at(long t) {
    Version found = null;
    for (Version v : versions) {
      if (v.validFromMillis() <= t || found == null) {
        found = v;
      }
    }
    return found;
  }

  /**
   * The parts of [from, to) with one version each, in time order, adjacent parts always of
   * different versions. An empty window has one empty part, of the version in force at {@code
   * from}.
   */
  public List<ProfileSpan> spans(long fromMillis, long toMillis) {
    TreeSet<Long> cuts = new TreeSet<>();
    for (Version v : versions) {
      if (v.validFromMillis() > fromMillis && v.validFromMillis() < toMillis) {
        cuts.add(v.validFromMillis());
      }
    }
    List<ProfileSpan> out = new ArrayList<>();
    long start = fromMillis;
    Version current = at(fromMillis);
    for (long cut : cuts) {
      Version next = at(cut);
      if (next.version() != current.version()) {
        out.add(span(start, cut, current));
        start = cut;
        current = next;
      }
    }
    out.add(span(start, toMillis, current));
    return out;
  }

  /**
   * The hash a result names: the profile's own {@link DerivationProfile#parameterHash()} when one
   * version covers the window, else the SHA-256 of {@code labmeter-profile-spans/1\n} followed by
   * one line {@code version=<v> validFrom=<ms> hash=<hex>\n} per part, in time order.
   */
  public static String combinedHash(List<ProfileSpan> spans) {
    if (spans.size() == 1) {
      return spans.get(0).parameterHash();
    }
    StringBuilder text = new StringBuilder("labmeter-profile-spans/1\n");
    for (ProfileSpan s : spans) {
      text.append("version=")
          .append(s.version())
          .append(" validFrom=")
          .append(s.validFromMillis())
          .append(" hash=")
          .append(s.parameterHash())
          .append('\n');
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  private static ProfileSpan span(long from, long to, Version v) {
    return new ProfileSpan(from, to, v.version(), v.validFromMillis(), v.profile().parameterHash());
  }
}
