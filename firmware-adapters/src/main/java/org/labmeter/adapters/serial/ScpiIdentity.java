package org.labmeter.adapters.serial;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@code *IDN?} (IEEE 488.2, 4.1.3.6): four comma-separated fields, maker, model,
 * serial number and firmware. Read once at connect and logged, so that a swapped instrument on the
 * same cable shows in the agent's log.
 */
public record ScpiIdentity(String maker, String model, String serial, String firmware) {

  public ScpiIdentity {
    Objects.requireNonNull(maker, "maker");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(firmware, "firmware");
  }

  /**
   * The identity in a reply line, or empty when the line is not four printable comma-separated
   * fields with a non-empty maker and model. A serial or firmware of {@code 0} (allowed by the
   * standard when unknown) is kept as sent.
   */
  public static Optional<ScpiIdentity> parse(String line) {
    String text = line.strip();
    if (!ReplyText.printable(text)) {
      return Optional.empty();
    }
    String[] parts = text.split(",", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    String maker = parts[0].strip();
    String model = parts[1].strip();
    if (maker.isEmpty() || model.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ScpiIdentity(maker, model, parts[2].strip(), parts[3].strip()));
  }

  @Override
  public String toString() {
    return maker + " " + model + " serial " + serial + " firmware " + firmware;
  }
}
