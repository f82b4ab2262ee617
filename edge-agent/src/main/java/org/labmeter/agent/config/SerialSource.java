package org.labmeter.agent.config;

import java.util.Optional;
import org.labmeter.adapters.serial.StatusParser;

/**
 * An instrument that reports its own status over a serial line. It gives the run flag only; power
 * stays NaN, since the status line does not measure it. Sampling is live only: an instrument can
 * say how it is now, not how it was.
 */
public sealed interface SerialSource extends SourceConfig permits ScpiSource, TextStatusSource {

  SerialLine line();

  /** Sent once after the port opens, its reply logged; empty when there is none. */
  Optional<String> identityQuery();

  /** Sent once per period; empty when the instrument prints status lines by itself. */
  Optional<String> pollQuery();

  /** Reads a reply line. */
  StatusParser parser();

  @Override
  default SamplingMode mode() {
    return new SamplingMode.Live(0);
  }
}
