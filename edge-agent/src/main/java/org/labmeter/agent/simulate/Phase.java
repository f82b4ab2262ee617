package org.labmeter.agent.simulate;

/**
 * A stretch of constant nominal power. A dip inside a run is a {@link InstrumentState#RUN} phase at
 * a low level; a spike on standby is a {@link InstrumentState#STANDBY} phase at a high level: the
 * state is the truth, the level is what a meter would see.
 */
record Phase(long startMillis, long endMillis, InstrumentState state, double levelW) {

  /** Energy of the whole phase in kWh (W times ms, over 3.6e9). */
  double energyKwh() {
    return levelW * (endMillis - startMillis) / 3.6e9;
  }
}
