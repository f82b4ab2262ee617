package org.labmeter.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.labmeter.adapters.profile.DeviceProfile;
import org.labmeter.adapters.profile.DeviceProfiles;
import org.labmeter.adapters.profile.ProfileFileException;

/** Reads a {@code type: modbus} source section, including a site profile file it names. */
final class ModbusSourceReader {
  private static final String[] FIELDS = {
    "type",
    "transport",
    "host",
    "port",
    "serialPort",
    "baud",
    "parity",
    "dataBits",
    "stopBits",
    "unitId",
    "profile",
    "profileFile",
    "periodMillis",
    "requestTimeoutMillis",
    "retries",
    "retryBackoffMillis",
    "pauseMillis",
    "maxRegistersPerRequest",
    "reconnectMillis",
    "plausibility"
  };

  private ModbusSourceReader() {}

  static SourceConfig read(SectionReader s, Path baseDir) {
    s.allowOnly(FIELDS);
    ModbusBus bus = bus(s);
    long unitId = s.integer("unitId").orElse(1L);
    DeviceProfile profile = profile(s, baseDir);
    long period = s.integer("periodMillis").orElse(1000L);
    PlausibilityLimits limits =
        s.section("plausibility", false)
            .map(ModbusSourceReader::limits)
            .orElse(PlausibilityLimits.DEFAULT);
    if (bus == null || profile == null || limits == null) {
      return null;
    }
    return build(s, () -> new ModbusSource(bus, (int) clamp(unitId), profile, period, limits));
  }

  private static ModbusBus bus(SectionReader s) {
    BusTiming d = BusTiming.DEFAULT;
    long timeout = s.integer("requestTimeoutMillis").orElse(d.requestTimeoutMillis());
    long retries = s.integer("retries").orElse((long) d.retries());
    long backoff = s.integer("retryBackoffMillis").orElse(d.retryBackoffMillis());
    long pause = s.integer("pauseMillis").orElse(d.pauseMillis());
    long maxRegs = s.integer("maxRegistersPerRequest").orElse((long) d.maxRegistersPerRequest());
    long reconnect = s.integer("reconnectMillis").orElse(d.reconnectMillis());
    BusTiming timing =
        build(
            s,
            () ->
                new BusTiming(
                    timeout,
                    (int) clamp(retries),
                    backoff,
                    pause,
                    (int) clamp(maxRegs),
                    reconnect));
    Optional<String> transport = s.requiredText("transport", "tcp (allowed: tcp, rtu)");
    if (transport.isEmpty() || timing == null) {
      return null;
    }
    switch (transport.get()) {
      case "tcp" -> {
        Optional<String> host = s.requiredText("host", "192.168.1.50");
        long port = s.integer("port").orElse(502L);
        for (String rtuOnly :
            new String[] {"serialPort", "baud", "parity", "dataBits", "stopBits"}) {
          if (s.has(rtuOnly)) {
            s.problem(rtuOnly, "applies to transport rtu only; allowed here: host, port");
          }
        }
        return host.map(h -> build(s, () -> new ModbusBus.Tcp(h, (int) clamp(port), timing)))
            .orElse(null);
      }
      case "rtu" -> {
        Optional<String> port = s.requiredText("serialPort", "/dev/ttyUSB0");
        long baud = s.integer("baud").orElse(9600L);
        String parity = s.text("parity").orElse("none");
        long dataBits = s.integer("dataBits").orElse(8L);
        long stopBits = s.integer("stopBits").orElse(1L);
        for (String tcpOnly : new String[] {"host", "port"}) {
          if (s.has(tcpOnly)) {
            s.problem(
                tcpOnly,
                "applies to transport tcp only; allowed here: serialPort, baud,"
                    + " parity, dataBits, stopBits");
          }
        }
        return port.map(
                p ->
                    build(
                        s,
                        () ->
                            new ModbusBus.Rtu(
                                p,
                                (int) clamp(baud),
                                parity,
                                (int) clamp(dataBits),
                                (int) clamp(stopBits),
                                timing)))
            .orElse(null);
      }
      default -> {
        s.problem("transport", "'" + transport.get() + "' is not a transport; allowed: tcp, rtu");
        return null;
      }
    }
  }

  private static DeviceProfile profile(SectionReader s, Path baseDir) {
    Optional<String> name = s.text("profile");
    Optional<String> file = s.text("profileFile");
    String builtIns = String.join(", ", DeviceProfiles.BUILT_IN);
    if (name.isPresent() == file.isPresent()) {
      s.problem(
          "profile",
          (name.isPresent() ? "set either profile or profileFile, not both" : "missing; required")
              + "; allowed: profile: one of "
              + builtIns
              + ", or profileFile: a path to a site profile");
      return null;
    }
    if (name.isPresent()) {
      if (!DeviceProfiles.BUILT_IN.contains(name.get())) {
        s.problem(
            "profile", "'" + name.get() + "' is not a built-in profile; allowed: " + builtIns);
        return null;
      }
      return DeviceProfiles.builtIn(name.get());
    }
    Path path = baseDir.resolve(file.get()).normalize();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      s.problem("profileFile", "cannot read " + path + ": " + e);
      return null;
    }
    try {
      return DeviceProfiles.parse(path.toString(), text);
    } catch (ProfileFileException e) {
      for (String p : e.problems()) {
        s.problem("profileFile", path + ": " + p);
      }
      return null;
    }
  }

  private static PlausibilityLimits limits(SectionReader s) {
    s.allowOnly("minW", "maxW", "maxKwhPerHour");
    PlausibilityLimits d = PlausibilityLimits.DEFAULT;
    double min = s.number("minW").orElse(d.minW());
    double max = s.number("maxW").orElse(d.maxW());
    double kwh = s.number("maxKwhPerHour").orElse(d.maxKwhPerHour());
    return build(s, () -> new PlausibilityLimits(min, max, kwh));
  }

  private static <T> T build(SectionReader s, java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (InvalidConfigException e) {
      s.problem(e);
      return null;
    }
  }

  private static long clamp(long v) {
    return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }
}
