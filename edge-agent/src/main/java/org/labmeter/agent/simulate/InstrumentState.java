package org.labmeter.agent.simulate;

/** What a simulated instrument is doing; only {@link #RUN} counts as machine-hours. */
public enum InstrumentState {
  /** Switched off at the wall: a few watts of meter and standby electronics. */
  OFF,
  /** Powered, vacuum or magnet kept up, nobody measuring. */
  STANDBY,
  /** Source, plasma or tube coming up before a run. */
  WARMUP,
  /** Measuring. */
  RUN,
  /** Between runs of one session: sample change, tuning. */
  IDLE
}
