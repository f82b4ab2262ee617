package org.labmeter.agent.clock;

/**
 * The result of one attempt to measure the clock offset: a value, or why there is none. Bad replies
 * are values, not exceptions, so the monitor can log them once and try the next server.
 */
public sealed interface OffsetMeasurement {

  /**
   * @param offsetMillis reference time minus agent time; positive when the agent's clock is behind
   * @param source the server or program that gave it
   */
  record Measured(long offsetMillis, String source) implements OffsetMeasurement {}

  record Failed(String source, String reason) implements OffsetMeasurement {}
}
