package org.labmeter.launcher.demo;

import java.time.Duration;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Instrument;

/** One simulated instrument of the demo fleet, with the agent that reports on it. */
public record DemoInstrument(
    String id,
    String name,
    String nameZh,
    String model,
    SimulatorKind kind,
    long seed,
    String agentId) {

  static final Duration PERIOD = Duration.ofSeconds(1);

  /** The derivation profile that the simulator's kind recommends for its own signals. */
  public DerivationProfile profile() {
    return DerivationProfile.create(
        b ->
            b.offBelowW(kind.offBelowW())
                .onThresholdW(kind.onThresholdW())
                .offThresholdW(kind.offThresholdW())
                .minOn(kind.minOn())
                .minOff(kind.minOff())
                .maxSampleGap(kind.maxSampleGap(PERIOD)));
  }

  Instrument registryRecord(String facilityId) {
    return new Instrument(id, facilityId, name, nameZh, model, "DEMO-" + id.toUpperCase());
  }
}
