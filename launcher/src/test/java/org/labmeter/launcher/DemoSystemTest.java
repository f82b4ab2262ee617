package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.launcher.demo.DemoOptions;
import org.labmeter.launcher.demo.DemoSystem;

/**
 * What {@code ./labmeter demo} runs: five instruments with hours, and a second start reusing the
 * data.
 */
class DemoSystemTest {
  @TempDir Path dir;

  @Test
  void fiveInstrumentsGetHoursAndASecondStartReusesTheData() throws Exception {
    DemoOptions options =
        DemoOptions.defaults(dir, "127.0.0.1", 0, 0, 0, 0)
            .withHistory(Duration.ofMinutes(10), Pace.COMPRESSED);
    long samplesBefore;
    String token;
    try (DemoSystem system = DemoSystem.start(options)) {
      assertThat(system.firstStart()).isTrue();
      token = system.adminToken();
      assertThat(token).startsWith("lm_");
      assertThat(Files.readString(dir.resolve("admin-token"))).isEqualTo(token);
      assertThat(Files.getPosixFilePermissions(dir.resolve("admin-token")))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      await().atMost(Duration.ofSeconds(90)).until(() -> allHaveSamples(system, 300));
      // once the history is in, live samples keep every instrument's state fresh and known
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                JsonNode list = EndToEndTest.get(system, "/api/v1/instruments");
                for (JsonNode i : list) {
                  if (!i.at("/live/fresh").asBoolean()) {
                    return false;
                  }
                }
                return list.size() == 5;
              });
      for (JsonNode i : EndToEndTest.get(system, "/api/v1/instruments")) {
        assertThat(i.at("/live/state").asText()).isIn("OFF", "STANDBY", "ACTIVE", "FAULT");
      }
      samplesBefore =
          EndToEndTest.get(system, "/api/v1/instruments/nmr-600/usage").get("samples").asLong();
    }
    try (DemoSystem again = DemoSystem.start(options)) {
      assertThat(again.firstStart()).isFalse();
      assertThat(again.adminToken()).isEqualTo(token);
      JsonNode usage = EndToEndTest.get(again, "/api/v1/instruments/nmr-600/usage");
      assertThat(usage.get("samples").asLong()).isGreaterThanOrEqualTo(samplesBefore);
      assertThat(EndToEndTest.get(again, "/api/v1/instruments")).hasSize(5);
    }
  }

  private static boolean allHaveSamples(DemoSystem system, long atLeast) throws Exception {
    for (JsonNode i : EndToEndTest.get(system, "/api/v1/instruments")) {
      JsonNode u =
          EndToEndTest.get(system, "/api/v1/instruments/" + i.get("id").asText() + "/usage");
      if (u.get("samples").asLong() < atLeast) {
        return false;
      }
    }
    return true;
  }
}
