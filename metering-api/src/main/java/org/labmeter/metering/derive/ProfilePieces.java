package org.labmeter.metering.derive;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which profile classifies each sample interval: the version in force at the sample that starts the
 * interval. Kept as runs of sample indices (one per version change inside the series), so a series
 * derived with one profile costs nothing extra.
 */
final class ProfilePieces {
  private final int[] first;
  private final DerivationProfile[] profiles;

  private ProfilePieces(int[] first, DerivationProfile[] profiles) {
    this.first = first;
    this.profiles = profiles;
  }

  static ProfilePieces of(ProfileSchedule schedule, long[] ts) {
    if (schedule.versions().size() == 1 || ts.length == 0) {
      long t = ts.length == 0 ? 0 : ts[0];
      return new ProfilePieces(new int[] {0}, new DerivationProfile[] {schedule.at(t).profile()});
    }
    long[] cuts =
        schedule.versions().stream()
            .mapToLong(ProfileSchedule.Version::validFromMillis)
            .distinct()
            .sorted()
            .toArray();
    List<Integer> starts = new ArrayList<>();
    List<DerivationProfile> chosen = new ArrayList<>();
    ProfileSchedule.Version current = schedule.at(ts[0]);
    starts.add(0);
    chosen.add(current.profile());
    int c = 0;
    while (c < cuts.length && cuts[c] <= ts[0]) {
      c++;
    }
    for (int i = 1; i < ts.length; i++) {
      if (c < cuts.length && cuts[c] <= ts[i]) {
        while (c < cuts.length && cuts[c] <= ts[i]) {
          c++;
        }
        ProfileSchedule.Version next = schedule.at(ts[i]);
        if (next.version() != current.version()) {
          current = next;
          starts.add(i);
          chosen.add(next.profile());
        }
      }
    }
    return new ProfilePieces(
        starts.stream().mapToInt(Integer::intValue).toArray(),
        chosen.toArray(DerivationProfile[]::new));
  }

  /** The profile that classifies interval {@code i}. */
  DerivationProfile at(int i) {
    if (first.length == 1) {
      return profiles[0];
    }
    int found = Arrays.binarySearch(first, i);
    return profiles[found >= 0 ? found : -found - 2];
  }

  int count() {
    return first.length;
  }

  /** First interval of piece {@code k}. */
  int firstOf(int k) {
    return first[k];
  }

  DerivationProfile profileOf(int k) {
    return profiles[k];
  }
}
