package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.EdgeAgent;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.launcher.demo.DemoInstrument;
import org.labmeter.launcher.demo.DemoOptions;
import org.labmeter.launcher.demo.DemoSystem;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.evidence.BundleJson;
import org.labmeter.metering.evidence.BundleReadResult;
import org.labmeter.metering.evidence.BundleVerifier;
import org.labmeter.metering.evidence.EvidenceBundle;
import org.labmeter.metering.evidence.VerificationReport;
import picocli.CommandLine;

/**
 * The whole system runs three simulated hours; the evidence bundle of [2:00, 2:30) is downloaded
 * from the API and verified offline. The hour of context before the window starts mid-chain, so the
 * bundle must carry the batch that confirms its first link. The offline numbers must equal the
 * usage endpoint's, and {@code labmeter verify} must exit 0.
 */
class EvidenceEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final long PERIOD = 1000;

  @TempDir Path dir;

  @Test
  void aDownloadedBundleReproducesTheApisNumbersOffline() throws Exception {
    Instant start = Instant.parse("2026-05-04T06:00:00Z");
    Instant end = start.plus(Duration.ofHours(3));
    Instant from = start.plus(Duration.ofHours(2));
    Instant to = from.plus(Duration.ofMinutes(30));
    DemoInstrument ms =
        new DemoInstrument(
            "ms-ev",
            "Mass spectrometer",
            "质谱仪",
            "EV",
            SimulatorKind.MASS_SPECTROMETER,
            11,
            "agent-ev");
    DemoOptions options =
        DemoOptions.defaults(dir.resolve("data"), "127.0.0.1", 0, 0, 0, 0)
            .withFleet(
                List.of(ms),
                (d, first) ->
                    SimulatedSource.window(
                            d.kind(), d.seed(), PERIOD, start.toEpochMilli(), end.toEpochMilli())
                        .withPace(Pace.COMPRESSED));
    long expectedSamples = Duration.between(start, end).toMillis() / PERIOD;

    try (DemoSystem system = DemoSystem.start(options)) {
      EdgeAgent agent = system.agents().get(0);
      await()
          .atMost(Duration.ofSeconds(150))
          .until(() -> agent.samplesProduced() == expectedSamples && agent.outboxPending() == 0);
      String all = "/api/v1/instruments/ms-ev/usage?from=" + start + "&to=" + end;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  JSON.readTree(get(system, all).body()).get("samples").asLong()
                      == expectedSamples);

      String query = "?from=" + from + "&to=" + to;
      JsonNode usage = JSON.readTree(get(system, "/api/v1/instruments/ms-ev/usage" + query).body());
      HttpResponse<byte[]> download =
          getBytes(system, "/api/v1/instruments/ms-ev/evidence" + query);
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.headers().firstValue("content-disposition"))
          .hasValue(
              "attachment; filename=\"evidence-ms-ev-20260504T080000Z-20260504T083000Z.json\"");
      Path file = dir.resolve("bundle.json");
      Files.write(file, download.body());

      EvidenceBundle bundle = ((BundleReadResult.Read) BundleJson.read(file)).bundle();
      VerificationReport report = BundleVerifier.verify(bundle);
      assertThat(report.failedChecks()).isEmpty();
      assertThat(report.gaps()).isEmpty();
      assertThat(report.checks())
          .as("the batch before the read range is bundled to confirm the first link")
          .anyMatch(c -> c.samplesInRange() == 0 && c.sequence() > 0);
      assertThat(report.differences()).isEmpty();
      assertThat(report.passed()).as(report.render()).isTrue();

      Usage offline = report.offline();
      for (RunState s : RunState.values()) {
        assertThat(offline.durations().millis(s))
            .as("%s millis", s)
            .isEqualTo(usage.at("/millis/" + s.name()).asLong());
      }
      assertThat(offline.coverage()).isEqualTo(usage.get("coverage").asDouble());
      assertThat(offline.sessions()).hasSize(usage.get("sessions").size());
      assertThat(report.offlineSamples()).isEqualTo(usage.get("samples").asInt());
      assertThat(offline.parameterHash()).isEqualTo(usage.get("profileHash").asText());
      assertThat(offline.durations().activeMillis()).as("the window has runs").isPositive();

      assertThat(new CommandLine(new LabMeterCli()).execute("verify", file.toString())).isZero();

      HttpResponse<String> unknown = get(system, "/api/v1/instruments/nope/evidence" + query);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(JSON.readTree(unknown.body()).at("/error/field").asText()).isEqualTo("id");
      HttpResponse<String> bad = get(system, "/api/v1/instruments/ms-ev/evidence?from=yesterday");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(JSON.readTree(bad.body()).at("/error/field").asText()).isEqualTo("from");
    }

    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "this is not a bundle");
    assertThat(new CommandLine(new LabMeterCli()).execute("verify", garbage.toString()))
        .isEqualTo(2);
  }

  static HttpResponse<String> get(DemoSystem system, String path) throws Exception {
    return HTTP.send(request(system, path), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<byte[]> getBytes(DemoSystem system, String path) throws Exception {
    return HTTP.send(request(system, path), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpRequest request(DemoSystem system, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + system.apiPort() + path))
        .header("Authorization", "Bearer " + system.adminToken())
        .build();
  }
}
