package org.labmeter.agent.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labmeter.adapters.profile.DeviceProfile;
import org.labmeter.adapters.profile.DeviceProfiles;
import org.labmeter.agent.config.BusTiming;
import org.labmeter.agent.config.ModbusBus;
import org.labmeter.agent.config.ModbusSource;
import org.labmeter.agent.config.PlausibilityLimits;
import org.labmeter.agent.serial.Emulator;
import org.labmeter.agent.serial.SocatPtyPair;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

/**
 * The agent's RTU transport (digitalpetri over jSerialComm) against a pymodbus RTU server on the
 * far end of a socat pty pair at 9600 baud: the values decode as over TCP, and a unit that does not
 * answer is UNAVAILABLE while the others on the segment keep theirs. 8N1, not the SDM630's 8E1: a
 * Linux pty refuses a parity setting.
 */
class ModbusRtuPollerTest {
  private static final BusTiming TIMING = new BusTiming(300, 1, 50, 5, 60, 200);

  @Test
  void decodesOverRtuWhileASilentUnitIsUnavailable() throws Exception {
    try (SocatPtyPair pair = SocatPtyPair.start();
        Emulator meter =
            Emulator.start("energy_meter_rtu.py", pair.b().toString()).awaitOutput("serving")) {
      ModbusBus.Rtu bus = new ModbusBus.Rtu(pair.a().toString(), 9600, "none", 8, 1, TIMING);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ModbusBuses buses = new ModbusBuses("agent-t", registry, Clock.systemUTC());
      ModbusDevice sdm120 = buses.add("m-high", source(bus, 1, "eastron-sdm120"));
      ModbusDevice lamp = buses.add("lamp", source(bus, 3, "digital-input"));
      ModbusDevice silent = buses.add("dead", source(bus, 9, "eastron-sdm120"));
      assertThat(buses.busCount()).isEqualTo(1);
      buses.start();
      try {
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  long now = System.currentTimeMillis();
                  // 0x44B4_0000 = 1440.0 W, 0x449A_5000 = 1234.5 kWh, as in the TCP test.
                  assertThat(sdm120.sampleAt(now))
                      .isEqualTo(new Sample(now, 1440.0, 1234.5, RunFlag.NONE, Quality.GOOD));
                  Sample lampSample = lamp.sampleAt(now);
                  assertThat(lampSample.runFlag()).isEqualTo(RunFlag.RUNNING);
                  assertThat(lampSample.quality()).isEqualTo(Quality.GOOD);
                  assertThat(silent.sampleAt(now)).isEqualTo(Sample.unavailable(now));
                  var timeouts =
                      registry
                          .find("agent.modbus.polls")
                          .tags("instrument", "dead", "result", "unavailable", "reason", "timeout")
                          .counter();
                  assertThat(timeouts).isNotNull();
                });
      } finally {
        buses.stop().join();
      }
    }
  }

  private static ModbusSource source(ModbusBus bus, int unitId, String profile) {
    DeviceProfile p = DeviceProfiles.builtIn(profile);
    return new ModbusSource(bus, unitId, p, 500, PlausibilityLimits.DEFAULT);
  }
}
