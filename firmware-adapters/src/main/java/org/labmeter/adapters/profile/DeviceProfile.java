package org.labmeter.adapters.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.labmeter.adapters.Reading;

/**
 * A declarative register map of one device family: which quantities it reports, where, and how they
 * decode. Built-in profiles ship as resource files ({@link DeviceProfiles}); a site with another
 * meter writes its own file in the same format.
 *
 * @param name profile name, e.g. {@code eastron-sdm120}
 * @param description what device (and which map variant) it fits
 * @param registers the meter quantities; no two overlap and no quantity appears twice
 * @param runFlag an optional one-bit run signal
 */
public record DeviceProfile(
    String name,
    String description,
    List<RegisterField> registers,
    Optional<RunFlagInput> runFlag) {

  public DeviceProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    registers = List.copyOf(Objects.requireNonNull(registers, "registers"));
    Objects.requireNonNull(runFlag, "runFlag");
    if (registers.isEmpty() && runFlag.isEmpty()) {
      throw new IllegalArgumentException(
          "profile " + name + " reads nothing; it needs registers, a runFlag, or both");
    }
    for (int i = 0; i < registers.size(); i++) {
      for (int j = 0; j < i; j++) {
        RegisterField a = registers.get(j);
        RegisterField b = registers.get(i);
        if (a.quantity() == b.quantity()) {
          throw new IllegalArgumentException(
              "registers["
                  + i
                  + "]: "
                  + b.quantity().configName()
                  + " is already registers["
                  + j
                  + "]; each quantity at most once");
        }
        if (a.overlaps(b)) {
          throw new IllegalArgumentException(
              "registers["
                  + i
                  + "]: "
                  + b.quantity().configName()
                  + " (wire address "
                  + b.wireAddress()
                  + ", "
                  + b.words()
                  + " words) overlaps registers["
                  + j
                  + "] "
                  + a.quantity().configName()
                  + " (wire address "
                  + a.wireAddress()
                  + ", "
                  + a.words()
                  + " words)");
        }
      }
    }
  }

  public Optional<RegisterField> field(Quantity quantity) {
    return registers.stream().filter(f -> f.quantity() == quantity).findFirst();
  }

  /**
   * Decodes every field from the registers read. A field whose words are missing from the image
   * (its read failed) is a {@link Reading.DeviceFault}; the others decode as usual.
   */
  public DeviceReading decode(RegisterImage image) {
    List<DecodedField> fields = new ArrayList<>(registers.size());
    for (RegisterField field : registers) {
      Optional<int[]> words = image.words(field.table(), field.wireAddress(), field.words());
      if (words.isEmpty()) {
        fields.add(
            new DecodedField(
                field,
                List.of(),
                new Reading.DeviceFault(field.quantity().configName() + " not read")));
      } else {
        int[] raw = words.get();
        List<Integer> rawList = new ArrayList<>(raw.length);
        for (int w : raw) {
          rawList.add(w);
        }
        fields.add(new DecodedField(field, rawList, field.decoder().decode(raw)));
      }
    }
    Optional<Boolean> running =
        runFlag.flatMap(input -> image.bit(input.table(), input.wireAddress()).map(input::running));
    return new DeviceReading(name, fields, running);
  }
}
