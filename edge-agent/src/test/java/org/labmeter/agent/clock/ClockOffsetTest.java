package org.labmeter.agent.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.agent.config.ClockConfig;
import org.labmeter.wire.Batch;

class ClockOffsetTest {

  @Test
  void ntpTimestampsConvertBothWays() {
    // 1970-01-01T00:00:00.500Z: 2,208,988,800 s after 1900, and half of 2^32 as the fraction
    long ntp = SntpClient.toNtp(500);
    assertThat(ntp >>> 32).isEqualTo(2_208_988_800L);
    assertThat(ntp & 0xffff_ffffL).isEqualTo(0x8000_0000L);
    assertThat(SntpClient.fromNtp(ntp)).isEqualTo(500);
    assertThat(SntpClient.fromNtp(SntpClient.toNtp(1_772_438_400_123L)))
        .isEqualTo(1_772_438_400_123L);
  }

  @Test
  void offsetFromTheFourTimestamps() {
    // T1 = 1000, T2 = 3000 (server), T3 = 3010 (server), T4 = 1030:
    // ((3000 - 1000) + (3010 - 1030)) / 2 = (2000 + 1980) / 2 = 1990
    long sent = SntpClient.toNtp(1000);
    byte[] reply = new byte[48];
    reply[0] = 0x24; // LI 0, version 4, mode 4
    reply[1] = 1;
    ByteBuffer.wrap(reply).putLong(24, sent).putLong(32, SntpClient.toNtp(3000));
    ByteBuffer.wrap(reply).putLong(40, SntpClient.toNtp(3010));

    assertThat(SntpClient.decode("s", reply, 48, sent, 1000, 1030))
        .isEqualTo(new OffsetMeasurement.Measured(1990, "s"));
  }

  @Test
  void repliesThatCannotBeTrustedAreRefused() {
    long sent = SntpClient.toNtp(1000);
    byte[] reply = new byte[48];
    reply[0] = 0x24;
    reply[1] = 0; // kiss-o'-death
    ByteBuffer.wrap(reply).putLong(24, sent).putLong(40, SntpClient.toNtp(3010));
    assertThat(SntpClient.decode("s", reply, 48, sent, 1000, 1030))
        .isEqualTo(new OffsetMeasurement.Failed("s", "kiss-o'-death (stratum 0)"));

    reply[1] = 2;
    ByteBuffer.wrap(reply).putLong(24, sent + 1);
    assertThat(SntpClient.decode("s", reply, 48, sent, 1000, 1030))
        .isInstanceOf(OffsetMeasurement.Failed.class);
  }

  @Test
  void sntpAgainstAServerTwoAndAHalfSecondsAhead() throws Exception {
    try (SntpResponder server = new SntpResponder(2_500)) {
      OffsetMeasurement m =
          new SntpClient(Clock.systemUTC()).query("127.0.0.1", server.port(), 2_000);

      assertThat(m).isInstanceOf(OffsetMeasurement.Measured.class);
      assertThat(((OffsetMeasurement.Measured) m).offsetMillis()).isBetween(2_480L, 2_520L);
    }
  }

  @Test
  void theMonitorReportsTheOffsetAndUnknownWithoutAServer() throws Exception {
    try (SntpResponder server = new SntpResponder(-1_200)) {
      ClockMonitor monitor =
          new ClockMonitor(
              "agent-1",
              ClockConfig.sntp(List.of("127.0.0.1:1", "127.0.0.1:" + server.port()), 60, 300),
              Clock.systemUTC());
      assertThat(monitor.offsetMillis()).isEqualTo(Batch.CLOCK_OFFSET_UNKNOWN);
      monitor.start().get();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> monitor.offsetMillis() != Batch.CLOCK_OFFSET_UNKNOWN);
      assertThat(monitor.offsetMillis()).isBetween(-1_220, -1_180);
      monitor.stop();
    }
    ClockMonitor silent =
        new ClockMonitor(
            "agent-1", ClockConfig.sntp(List.of("127.0.0.1:1"), 60, 200), Clock.systemUTC());
    silent.start().get();
    assertThat(silent.offsetMillis()).isEqualTo(Batch.CLOCK_OFFSET_UNKNOWN);
    silent.stop();
  }

  @Test
  void chronyTrackingLine() {
    // system time 0.012345678 s slow of NTP time: the clock is 12 ms behind
    String line =
        "A29FC87B,ntp1.example.org,3,1772438400.040525866,0.012345678,-0.000036682,"
            + "0.000100375,-2.733,0.003,0.069,0.000420034,0.000745483,1025.1,Normal";
    assertThat(ChronyTracking.parse("chronyc", line))
        .isEqualTo(new OffsetMeasurement.Measured(12, "chronyc"));
    assertThat(ChronyTracking.parse("chronyc", line.replace("Normal", "Not synchronised")))
        .isInstanceOf(OffsetMeasurement.Failed.class);
    assertThat(new ChronyTracking(java.nio.file.Path.of("/nonexistent/chronyc")).read(500))
        .isInstanceOf(OffsetMeasurement.Failed.class);
  }
}
