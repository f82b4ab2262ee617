package org.labmeter.agent.modbus;

import java.util.Objects;
import org.labmeter.adapters.profile.DeviceReading;

/**
 * What one poll of one device gave: everything read and decoded, or the reason it could not be. A
 * failed poll is a value so the poller logs it once, counts it, and goes on with the next device.
 */
public sealed interface PollOutcome {

  /** Every block of the read plan answered. */
  record Read(DeviceReading reading) implements PollOutcome {
    public Read {
      Objects.requireNonNull(reading, "reading");
    }
  }

  /**
   * The device gave no usable answer.
   *
   * @param reason a metric tag: {@code timeout}, {@code exception-response}, {@code crc}, {@code
   *     short-frame}, {@code disconnected}
   * @param detail what happened, for the log
   */
  record Unavailable(String reason, String detail) implements PollOutcome {
    public Unavailable {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
