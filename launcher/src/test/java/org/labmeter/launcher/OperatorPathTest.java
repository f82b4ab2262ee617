package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.AgentMain;
import org.labmeter.agent.EdgeAgent;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentSettings;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.MqttConfig;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.launcher.server.LabMeterServer;
import org.labmeter.launcher.server.StoreLocation;
import org.labmeter.wire.AgentPublicKey;
import picocli.CommandLine;

/**
 * What an operator does outside the demo: register a unit and an instrument, create the agent's key
 * on its box, enrol it with the registry command, run a node, and see the agent's hours.
 */
class OperatorPathTest {
  @TempDir Path dir;

  int cli(PrintStream out, String... args) {
    PrintStream before = System.out;
    System.setOut(out);
    try {
      return new CommandLine(new LabMeterCli()).execute(args);
    } finally {
      System.setOut(before);
    }
  }

  @Test
  void registryCommandsEnrolAnAgentThatThenReportsToANode() throws Exception {
    String db = "jdbc:h2:file:" + dir.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE";
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    assertThat(
            cli(
                out,
                "registry",
                "--db",
                db,
                "add-facility",
                "--id",
                "ifs",
                "--name",
                "Institute",
                "--name-zh",
                "研究所"))
        .isZero();
    SimulatorKind kind = SimulatorKind.ICP_MS;
    assertThat(
            cli(
                out,
                "registry",
                "--db",
                db,
                "add-instrument",
                "--id",
                "icpms-7",
                "--facility",
                "ifs",
                "--name",
                "ICP-MS",
                "--on-w",
                String.valueOf(kind.onThresholdW()),
                "--off-w",
                String.valueOf(kind.offThresholdW()),
                "--off-below-w",
                String.valueOf(kind.offBelowW()),
                "--min-on-s",
                String.valueOf(kind.minOn().toSeconds()),
                "--min-off-s",
                String.valueOf(kind.minOff().toSeconds()),
                "--max-gap-s",
                "5"))
        .isZero();

    Path agentDir = dir.resolve("agent");
    AgentPublicKey key = AgentMain.keygen(agentDir, new PrintStream(new ByteArrayOutputStream()));
    Path credential = dir.resolve("agent.password");
    assertThat(
            cli(
                out,
                "registry",
                "--db",
                db,
                "enroll-agent",
                "--id",
                "agent-7",
                "--facility",
                "ifs",
                "--public-key",
                "not-a-key",
                "--instrument",
                "icpms-7",
                "--credential-file",
                credential.toString()))
        .isEqualTo(2);
    assertThat(
            cli(
                out,
                "registry",
                "--db",
                db,
                "enroll-agent",
                "--id",
                "agent-7",
                "--facility",
                "ifs",
                "--public-key",
                key.toBase64(),
                "--instrument",
                "icpms-7",
                "--credential-file",
                credential.toString()))
        .isZero();
    assertThat(output.toString(StandardCharsets.UTF_8)).contains(key.fingerprint());
    assertThat(Files.getPosixFilePermissions(credential))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(cli(out, "registry", "--db", db, "list")).isZero();
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("icpms-7").contains("研究所");

    // a pending agent is approved on the command line through the same code as the API
    AgentPublicKey key8 =
        AgentMain.keygen(dir.resolve("agent8"), new PrintStream(new ByteArrayOutputStream()));
    String[] enroll8 = {
      "registry",
      "--db",
      db,
      "enroll-agent",
      "--id",
      "agent-8",
      "--facility",
      "ifs",
      "--public-key",
      key8.toBase64(),
      "--instrument",
      "icpms-7",
      "--credential-file",
      dir.resolve("unused8").toString(),
      "--pending"
    };
    assertThat(cli(out, enroll8)).isZero();
    Path credential8 = dir.resolve("agent8.password");
    assertThat(
            cli(
                out,
                "registry",
                "--db",
                db,
                "approve-agent",
                "--id",
                "agent-8",
                "--fingerprint",
                "SHA256:other",
                "--instrument",
                "icpms-7",
                "--credential-file",
                credential8.toString()))
        .isEqualTo(2);
    assertThat(
            cli(
                out,
                "registry",
                "--db",
                db,
                "approve-agent",
                "--id",
                "agent-8",
                "--fingerprint",
                key8.fingerprint(),
                "--instrument",
                "icpms-7",
                "--credential-file",
                credential8.toString()))
        .isZero();
    assertThat(Files.getPosixFilePermissions(credential8))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // no default credential: the operator creates a token for the unit's staff
    assertThat(cli(out, "admin", "--db", db, "create-token", "--role", "root", "--label", "x"))
        .isEqualTo(2);
    assertThat(cli(out, "admin", "--db", db, "create-token", "--role", "staff", "--label", "x"))
        .isEqualTo(2);
    output.reset();
    assertThat(
            cli(
                out,
                "admin",
                "--db",
                db,
                "create-token",
                "--role",
                "staff",
                "--facility",
                "ifs",
                "--label",
                "operator"))
        .isZero();
    String token =
        output
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("lm_"))
            .findFirst()
            .orElseThrow();
    output.reset();
    assertThat(cli(out, "admin", "--db", db, "list-tokens")).isZero();
    assertThat(output.toString(StandardCharsets.UTF_8))
        .contains("FACILITY_STAFF")
        .contains("operator")
        .doesNotContain(token.substring(token.indexOf('_', 3) + 1));

    Instant from = Instant.parse("2026-06-01T00:00:00Z");
    Instant to = from.plus(Duration.ofMinutes(20));
    try (LabMeterServer server =
        LabMeterServer.start(
            new LabMeterServer.Options(
                db,
                "sa",
                "",
                new StoreLocation.Embedded(dir.resolve("questdb"), 0, 0),
                "127.0.0.1",
                0,
                0,
                dir.resolve("spool"),
                b -> {}))) {
      AgentConfig config =
          AgentConfig.of(
              new AgentSettings("agent-7", agentDir),
              MqttConfig.of("tcp://127.0.0.1:" + server.mqttPort())
                  .withCredentials("agent-7", Files.readString(credential).trim()),
              List.of(
                  new InstrumentConfig(
                      "icpms-7",
                      SimulatedSource.window(
                          kind, 3, 1000, from.toEpochMilli(), to.toEpochMilli()))));
      try (EdgeAgent agent = new EdgeAgent(config, new SimpleMeterRegistry())) {
        agent.start().join();
        String path = "/api/v1/instruments/icpms-7/usage?from=" + from + "&to=" + to;
        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> usage(http, server.apiPort(), path, token).get("samples").asLong() == 1200);
        JsonNode usage = usage(http, server.apiPort(), path, token);
        assertThat(usage.get("coverage").asDouble()).isEqualTo(1.0);
        assertThat(usage.at("/millis/UNKNOWN").asLong()).isLessThanOrEqualTo(1000);
        JsonNode health = usage(http, server.apiPort(), "/health", null);
        JsonNode anonymous = usage(http, server.apiPort(), path, null);
        assertThat(anonymous.at("/error/code").asText()).isEqualTo("unauthenticated");
        assertThat(health.at("/checks/collectorSpool").asText()).isEqualTo("UP");
        assertThat(health.get("status").asText()).isEqualTo("UP");
      }
    }
  }

  static JsonNode usage(HttpClient http, int port, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }
}
