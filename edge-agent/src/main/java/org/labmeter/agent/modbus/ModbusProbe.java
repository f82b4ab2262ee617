package org.labmeter.agent.modbus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.labmeter.adapters.Reading;
import org.labmeter.adapters.profile.DecodedField;
import org.labmeter.adapters.profile.ReadBlock;
import org.labmeter.agent.config.ModbusSource;

/**
 * Polls one configured device once, outside any agent, and shows every decoded value beside its raw
 * registers: the way to check a register map, a word order or a unit id on site before the agent
 * counts hours from it.
 */
public final class ModbusProbe {

  private ModbusProbe() {}

  /**
   * The result of a probe.
   *
   * @param outcome what the poll gave
   * @param plan the read requests sent
   */
  public record Result(ModbusSource source, PollOutcome outcome, List<ReadBlock> plan) {
    public Result {
      plan = List.copyOf(plan);
    }

    /**
     * One line per request and per value, e.g. {@code power_w = 1440.0 W [0x44B4 0x0000] fc
     * 04 @12}.
     */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(
          String.format(
              Locale.ROOT,
              "%s unit %d, profile %s",
              source.bus().key(),
              source.unitId(),
              source.profile().name()));
      for (ReadBlock b : plan) {
        out.add(
            String.format(
                Locale.ROOT,
                "  request: function %02d, address %d, count %d",
                b.table().functionCode(),
                b.address(),
                b.count()));
      }
      if (outcome instanceof PollOutcome.Unavailable u) {
        out.add("  UNAVAILABLE (" + u.reason() + "): " + u.detail());
        return out;
      }
      PollOutcome.Read read = (PollOutcome.Read) outcome;
      for (DecodedField f : read.reading().fields()) {
        String value =
            f.reading() instanceof Reading.Value v
                ? v.value() + (v.unit().isEmpty() ? "" : " " + v.unit())
                : f.reading().toString();
        out.add(
            String.format(
                Locale.ROOT,
                "  %-13s= %s  [%s] function %02d, number %d (wire %d)",
                f.field().quantity().configName(),
                value,
                f.rawHex(),
                f.field().table().functionCode(),
                f.field().address(),
                f.field().wireAddress()));
      }
      read.reading()
          .running()
          .ifPresent(r -> out.add("  run flag     = " + (r ? "RUNNING" : "IDLE")));
      return out;
    }
  }

  /** Connects, polls once with the device's timing and retries, disconnects. */
  public static Result probe(ModbusSource source) {
    DeviceReader reader =
        new DeviceReader(source.unitId(), source.profile(), source.bus().timing());
    PollOutcome outcome;
    try (ModbusConnection connection = new ModbusConnection(source.bus())) {
      try {
        connection.connect();
        outcome = reader.poll(connection);
      } catch (Exception e) {
        outcome = new PollOutcome.Unavailable("disconnected", "cannot connect: " + e);
      }
    }
    return new Result(source, outcome, reader.plan());
  }
}
