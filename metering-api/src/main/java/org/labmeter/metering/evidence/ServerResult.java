package org.labmeter.metering.evidence;

import java.util.Objects;
import org.labmeter.metering.derive.Usage;

/**
 * What the facility's server derived for the window, exactly as its usage endpoint serves it.
 *
 * @param profileVersion the profile version the server used
 * @param samplesRead how many stored samples (context included) the server derived from
 */
public record ServerResult(int profileVersion, int samplesRead, Usage usage) {
  public ServerResult {
    Objects.requireNonNull(usage, "usage");
  }
}
