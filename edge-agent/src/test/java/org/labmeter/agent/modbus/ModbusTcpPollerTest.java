package org.labmeter.agent.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labmeter.adapters.profile.DeviceProfile;
import org.labmeter.adapters.profile.DeviceProfiles;
import org.labmeter.agent.config.BusTiming;
import org.labmeter.agent.config.ModbusBus;
import org.labmeter.agent.config.ModbusSource;
import org.labmeter.agent.config.PlausibilityLimits;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

/**
 * The pollers against a real Modbus TCP peer: pymodbus serving an SDM120 map (float32 high word
 * first), the same values low word first, a run lamp, and silence for any other unit id.
 */
class ModbusTcpPollerTest {
  private static final Path EMULATOR = Path.of("src/test/resources/emulators/energy_meter_tcp.py");
  private static final BusTiming TIMING = new BusTiming(200, 1, 50, 0, 60, 200);
  private static Process emulator;
  private static int port;

  @BeforeAll
  static void startEmulator() throws IOException {
    assertThat(Path.of("/usr/bin/python3"))
        .as("needs /usr/bin/python3 with python3-pymodbus (apt-get install -y python3-pymodbus)")
        .exists();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    emulator =
        new ProcessBuilder("/usr/bin/python3", EMULATOR.toString(), String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(Files.createTempFile("modbus-emulator", ".log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(emulator.isAlive()).as("pymodbus emulator exited").isTrue();
              try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
              }
            });
  }

  @AfterAll
  static void stopEmulator() {
    if (emulator != null) {
      emulator.destroy();
    }
  }

  private static ModbusSource source(int unitId, DeviceProfile profile, long periodMillis) {
    return source(unitId, profile, periodMillis, TIMING);
  }

  private static ModbusSource source(
      int unitId, DeviceProfile profile, long periodMillis, BusTiming timing) {
    return new ModbusSource(
        new ModbusBus.Tcp("127.0.0.1", port, timing),
        unitId,
        profile,
        periodMillis,
        PlausibilityLimits.DEFAULT);
  }

  private static final DeviceProfile LOW_FIRST =
      DeviceProfiles.parse(
          "low-first.yaml",
          """
          name: low-first
          registers:
            - {quantity: power_w, address: 100, addressBase: 0, functionCode: 4, type: float32, wordOrder: low-first, unit: W}
            - {quantity: energy_kwh, address: 102, addressBase: 0, functionCode: 4, type: float32, wordOrder: low-first, unit: kWh}
          """);

  private static final DeviceProfile MISSING_REGISTER =
      DeviceProfiles.parse(
          "missing.yaml",
          """
          name: missing
          registers:
            - {quantity: power_w, address: 50, addressBase: 0, functionCode: 4, type: float32, wordOrder: high-first, unit: W}
          """);

  @Test
  void decodesEachWordOrderWhileASilentUnitIsUnavailableAndTheOthersKeepTheirSchedule() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ModbusBuses buses = new ModbusBuses("agent-t", registry, Clock.systemUTC());
    ModbusDevice sdm120 =
        buses.add("m-high", source(1, DeviceProfiles.builtIn("eastron-sdm120"), 200));
    ModbusDevice lowFirst = buses.add("m-low", source(2, LOW_FIRST, 200));
    ModbusDevice lamp = buses.add("lamp", source(3, DeviceProfiles.builtIn("digital-input"), 200));
    ModbusDevice silent =
        buses.add("dead", source(9, DeviceProfiles.builtIn("eastron-sdm120"), 200));
    ModbusDevice refused = buses.add("bad-map", source(1, MISSING_REGISTER, 200));
    assertThat(buses.busCount()).isEqualTo(1);
    // Before the first poll nothing is known: UNAVAILABLE, never zero.
    assertThat(sdm120.sampleAt(System.currentTimeMillis()).quality())
        .isEqualTo(Quality.UNAVAILABLE);
    buses.start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                long now = System.currentTimeMillis();
                // 0x44B4_0000 = 1440.0 W, 0x449A_5000 = 1234.5 kWh, in either word order.
                assertThat(sdm120.sampleAt(now))
                    .isEqualTo(new Sample(now, 1440.0, 1234.5, RunFlag.NONE, Quality.GOOD));
                assertThat(lowFirst.sampleAt(now))
                    .isEqualTo(new Sample(now, 1440.0, 1234.5, RunFlag.NONE, Quality.GOOD));
                Sample lampSample = lamp.sampleAt(now);
                assertThat(lampSample.runFlag()).isEqualTo(RunFlag.RUNNING);
                assertThat(lampSample.quality()).isEqualTo(Quality.GOOD);
                assertThat(lampSample.powerW()).isNaN();
                assertThat(silent.sampleAt(now)).isEqualTo(Sample.unavailable(now));
                assertThat(refused.sampleAt(now)).isEqualTo(Sample.unavailable(now));
                assertThat(count(registry, "dead", "unavailable", "timeout")).isGreaterThan(0);
                assertThat(count(registry, "bad-map", "unavailable", "exception-response"))
                    .isGreaterThan(0);
              });
      // The dead unit costs at most 2 x 200 ms + 50 ms per poll, so the live meter keeps being
      // polled: at least 3 more good polls in the next few seconds, and its samples stay GOOD.
      double before = count(registry, "m-high", "good", "none");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(sdm120.sampleAt(System.currentTimeMillis()).quality())
                    .isEqualTo(Quality.GOOD);
                assertThat(count(registry, "m-high", "good", "none")).isGreaterThan(before + 3);
              });
    } finally {
      buses.stop().join();
    }
  }

  @Test
  void probeShowsEveryValueWithItsRawWords() {
    // A generous timeout: the probe's first request also pays for loading Netty on a busy machine.
    BusTiming patient = new BusTiming(2000, 1, 50, 0, 60, 200);
    ModbusProbe.Result result =
        ModbusProbe.probe(source(1, DeviceProfiles.builtIn("eastron-sdm120"), 1000, patient));
    assertThat(result.outcome()).isInstanceOf(PollOutcome.Read.class);
    assertThat(result.lines())
        .contains(
            "  power_w      = 1440.0 W  [0x44B4 0x0000] function 04, number 13 (wire 12)",
            "  energy_kwh   = 1234.5 kWh  [0x449A 0x5000] function 04, number 343 (wire 342)",
            "  voltage_v    = 230.5 V  [0x4366 0x8000] function 04, number 1 (wire 0)");
    ModbusProbe.Result dead =
        ModbusProbe.probe(source(9, DeviceProfiles.builtIn("eastron-sdm120"), 1000));
    assertThat(dead.outcome()).isInstanceOf(PollOutcome.Unavailable.class);
    assertThat(((PollOutcome.Unavailable) dead.outcome()).reason()).isEqualTo("timeout");
  }

  private static double count(
      SimpleMeterRegistry registry, String instrument, String result, String reason) {
    var c =
        registry
            .find("agent.modbus.polls")
            .tags("instrument", instrument, "result", result, "reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }
}
