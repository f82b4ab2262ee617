package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.EdgeAgent;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.simulate.InstrumentSimulator;
import org.labmeter.agent.simulate.Interval;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.launcher.demo.DemoInstrument;
import org.labmeter.launcher.demo.DemoOptions;
import org.labmeter.launcher.demo.DemoSystem;

/**
 * Simulated instrument → agent (Paho) → collector (Netty) → embedded QuestDB → API, all real, in
 * one process. The API's ACTIVE time must match the simulator's ground truth within one sample
 * period per session.
 */
class EndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final long PERIOD = 1000;

  @TempDir Path dir;

  @Test
  void hoursFromTheApiMatchTheSimulatorsGroundTruth() throws Exception {
    Instant from = Instant.parse("2026-05-04T08:00:00Z");
    Instant to = from.plus(Duration.ofHours(2));
    DemoInstrument ms =
        new DemoInstrument(
            "ms-e2e",
            "Mass spectrometer",
            "质谱仪",
            "E2E",
            SimulatorKind.MASS_SPECTROMETER,
            7,
            "agent-e2e");
    DemoOptions options =
        DemoOptions.defaults(dir, "127.0.0.1", 0, 0, 0, 0)
            .withFleet(
                List.of(ms),
                (d, first) ->
                    SimulatedSource.window(
                            d.kind(), d.seed(), PERIOD, from.toEpochMilli(), to.toEpochMilli())
                        .withPace(Pace.COMPRESSED));
    long expectedSamples = Duration.between(from, to).toMillis() / PERIOD;

    try (DemoSystem system = DemoSystem.start(options)) {
      EdgeAgent agent = system.agents().get(0);
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> agent.samplesProduced() == expectedSamples && agent.outboxPending() == 0);
      String usagePath = "/api/v1/instruments/ms-e2e/usage?from=" + from + "&to=" + to;
      // Live batches go out before the backlog, so some batches are first stored after a gap and
      // verified once the batch before them arrives (relinked): wait for every sample, verified.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                JsonNode u = get(system, usagePath);
                System.err.println(
                    "DEBUG "
                        + u.get("samples")
                        + " "
                        + u.get("coverage")
                        + " "
                        + u.get("evidenceGaps"));
                return u.get("samples").asLong() == expectedSamples
                    && u.get("coverage").asDouble() == 1.0;
              });
      JsonNode usage = get(system, usagePath);

      List<Interval> truth =
          new InstrumentSimulator(ms.kind(), ms.seed(), Pace.COMPRESSED)
              .groundTruthActive(from.toEpochMilli(), to.toEpochMilli());
      assertThat(truth)
          .as("the compressed pace puts several runs into two hours")
          .hasSizeGreaterThan(2);
      long truthActive = truth.stream().mapToLong(Interval::durationMillis).sum();
      JsonNode sessions = usage.get("sessions");
      assertThat(sessions).hasSize(truth.size());
      for (int i = 0; i < truth.size(); i++) {
        JsonNode s = sessions.get(i);
        long start = Instant.parse(s.get("start").asText()).toEpochMilli();
        long end = Instant.parse(s.get("end").asText()).toEpochMilli();
        assertThat(start)
            .as("session %d start", i)
            .isCloseTo(truth.get(i).fromMillis(), org.assertj.core.data.Offset.offset(PERIOD));
        assertThat(end)
            .as("session %d end", i)
            .isCloseTo(truth.get(i).toMillis(), org.assertj.core.data.Offset.offset(PERIOD));
        assertThat(s.get("activeMillis").asLong())
            .as("session %d active time", i)
            .isCloseTo(truth.get(i).durationMillis(), org.assertj.core.data.Offset.offset(PERIOD));
      }
      assertThat(usage.at("/millis/ACTIVE").asLong())
          .isCloseTo(truthActive, org.assertj.core.data.Offset.offset(PERIOD * truth.size()));
      // every stored sample came from a verified batch with an unbroken chain
      assertThat(usage.get("coverage").asDouble()).isEqualTo(1.0);
      assertThat(usage.get("evidenceGaps")).isEmpty();
      // the window is fully covered by telemetry: no UNKNOWN time except after the last sample
      assertThat(usage.at("/millis/UNKNOWN").asLong()).isLessThanOrEqualTo(PERIOD);
    }
  }

  static JsonNode get(DemoSystem system, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.apiPort() + path))
                .header("Authorization", "Bearer " + system.adminToken())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
