package org.labmeter.metering.derive;

import java.util.Objects;

/**
 * A maximal stretch of one state inside the window: neighbouring segments always differ in state.
 *
 * @param startMillis inclusive
 * @param endMillis exclusive
 * @param state the derived state
 * @param verifiedMillis how much of the segment is held by samples from verified batches
 */
public record StateSegment(long startMillis, long endMillis, RunState state, long verifiedMillis) {
  public StateSegment {
    Objects.requireNonNull(state, "state");
    if (endMillis <= startMillis) {
      throw new IllegalArgumentException(
          "segment end (" + endMillis + ") must be after its start (" + startMillis + ")");
    }
    if (verifiedMillis < 0 || verifiedMillis > endMillis - startMillis) {
      throw new IllegalArgumentException(
          "verifiedMillis (" + verifiedMillis + ") must lie within the segment's length");
    }
  }

  public long durationMillis() {
    return endMillis - startMillis;
  }
}
