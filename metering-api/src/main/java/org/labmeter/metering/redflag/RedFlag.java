package org.labmeter.metering.redflag;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One raised flag with the evidence that raised it, so anyone can check it by hand: the rule, the
 * time range it looked at, the values it saw and the thresholds it compared them with (both by the
 * names docs/red-flags.md uses).
 *
 * @param fromMillis start of the evidence, inclusive
 * @param toMillis end of the evidence, exclusive
 * @param summary one sentence for people
 * @param observed the values measured, e.g. {@code activeHours}, {@code powerCv}
 * @param thresholds the policy values they were compared with
 */
public record RedFlag(
    RedFlagRule rule,
    String instrumentId,
    long fromMillis,
    long toMillis,
    String summary,
    Map<String, Double> observed,
    Map<String, Double> thresholds) {

  public RedFlag {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(instrumentId, "instrumentId");
    Objects.requireNonNull(summary, "summary");
    observed = Collections.unmodifiableMap(new LinkedHashMap<>(observed));
    thresholds = Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException("a flag's range must not end before it starts");
    }
  }
}
