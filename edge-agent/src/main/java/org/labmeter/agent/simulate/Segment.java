package org.labmeter.agent.simulate;

import java.util.List;

/**
 * One planned stretch of an instrument's timeline, with the energy drawn up to the start of each
 * phase so that the energy counter at any instant is a lookup and one multiplication.
 */
record Segment(
    long index, long startMillis, long endMillis, List<Phase> phases, double[] energyBefore) {

  static Segment of(long index, long startMillis, long endMillis, List<Phase> phases) {
    double[] before = new double[phases.size() + 1];
    for (int i = 0; i < phases.size(); i++) {
      before[i + 1] = before[i] + phases.get(i).energyKwh();
    }
    return new Segment(index, startMillis, endMillis, List.copyOf(phases), before);
  }

  double energyKwh() {
    return energyBefore[phases.size()];
  }

  /** Index of the phase containing {@code timestampMillis}, which must lie in this segment. */
  int phaseIndexAt(long timestampMillis) {
    int low = 0;
    int high = phases.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (phases.get(mid).startMillis() <= timestampMillis) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  /** Energy in kWh drawn from the segment start up to {@code timestampMillis}. */
  double energyUntil(long timestampMillis) {
    int i = phaseIndexAt(timestampMillis);
    Phase phase = phases.get(i);
    return energyBefore[i] + phase.levelW() * (timestampMillis - phase.startMillis()) / 3.6e9;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segment other && index == other.index && phases.equals(other.phases);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index);
  }

  @Override
  public String toString() {
    return "Segment[" + index + ", " + phases.size() + " phases]";
  }
}
