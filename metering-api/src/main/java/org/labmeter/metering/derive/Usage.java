package org.labmeter.metering.derive;

import java.util.List;
import java.util.Objects;

/**
 * What one instrument did over the window [fromMillis, toMillis), with the evidence behind it. It
 * carries the algorithm version and the profile's parameter hash so that anyone re-deriving the
 * number from the same samples can tell whether they used the same rules.
 *
 * @param fromMillis window start, inclusive
 * @param toMillis window end, exclusive
 * @param durations millis per state; they sum exactly to {@code toMillis - fromMillis}
 * @param verifiedDurations the part of {@code durations} held by samples from verified batches
 * @param timeline the window cut into segments of one state, adjacent equal states merged
 * @param sessions the ACTIVE runs, clipped to the window
 * @param coverage verified ACTIVE millis / ACTIVE millis; 1.0 when there is no ACTIVE time, since
 *     no claimed running time is then left unbacked
 * @param evidenceGaps the ACTIVE intervals not backed by verified samples, merged
 * @param algorithmVersion {@link StateDeriver#ALGORITHM_VERSION}
 * @param parameterHash {@link DerivationProfile#parameterHash()} of the profile used, or {@link
 *     ProfileSchedule#combinedHash} of the versions used when the window crosses a profile change
 * @param profiles the profile version applied to each part of the window, in time order
 */
public record Usage(
    long fromMillis,
    long toMillis,
    StateDurations durations,
    StateDurations verifiedDurations,
    List<StateSegment> timeline,
    List<RunSession> sessions,
    double coverage,
    List<EvidenceGap> evidenceGaps,
    String algorithmVersion,
    String parameterHash,
    List<ProfileSpan> profiles) {

  public Usage {
    Objects.requireNonNull(durations, "durations");
    Objects.requireNonNull(verifiedDurations, "verifiedDurations");
    timeline = List.copyOf(timeline);
    sessions = List.copyOf(sessions);
    evidenceGaps = List.copyOf(evidenceGaps);
    Objects.requireNonNull(algorithmVersion, "algorithmVersion");
    Objects.requireNonNull(parameterHash, "parameterHash");
    profiles = List.copyOf(profiles);
  }

  public long windowMillis() {
    return toMillis - fromMillis;
  }

  public long millis(RunState state) {
    return durations.millis(state);
  }

  public long activeMillis() {
    return durations.activeMillis();
  }

  public long verifiedActiveMillis() {
    return verifiedDurations.activeMillis();
  }
}
