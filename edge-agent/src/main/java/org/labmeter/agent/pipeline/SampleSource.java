package org.labmeter.agent.pipeline;

import org.labmeter.wire.Sample;

/**
 * Something that can say what an instrument reads at a given instant. A simulator can answer for
 * any instant; a real meter only for now, which is why backfill exists for simulated sources only.
 */
@FunctionalInterface
public interface SampleSource {
  Sample sampleAt(long timestampMillis);
}
