package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.AgentMain;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.launcher.server.LabMeterServer;
import org.labmeter.launcher.server.StoreLocation;
import org.labmeter.wire.AgentPublicKey;
import picocli.CommandLine;

/**
 * Nothing lost, nothing twice, across the two failures an edge agent meets most: its own process
 * killed with SIGKILL mid-stream, and the broker restarted while the agent keeps sampling. Real
 * peers: Mosquitto (persistent sessions) as the site broker, a node whose collector consumes the
 * shared subscription into embedded QuestDB, and the agent in a child JVM on a simulated
 * instrument. At the end every sequence the agent sealed is in {@code lm_batches} once, and {@code
 * lm_samples} holds every instant of the sampling grid once, across the kill and the outage.
 */
class AgentCrashAndBrokerRestartTest {
  private static final String AGENT = "agent-k1";
  private static final String INSTRUMENT = "icpms-k1";
  private static final long PERIOD_MILLIS = 50;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.NEVER)
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private Process broker;
  private Process agent;
  private int brokerPort;
  private LabMeterServer server;

  @AfterEach
  void stopAll() throws InterruptedException {
    if (agent != null) {
      agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
    stopBroker();
  }

  @Test
  void killedAgentAndRestartedBrokerLoseNothingAndStoreNothingTwice() throws Exception {
    String db = "jdbc:h2:file:" + dir.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE";
    enrol(db);
    brokerPort = freePort();
    startBroker();
    server =
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
                b ->
                    // One collector: a plain (not shared) subscription, which Mosquitto 2.0 keeps
                    // across its own restart with persistence; it drops shared ones, and with
                    // them a batch it had acknowledged and not yet delivered (docs: collector
                    // README, "Broker restarts").
                    b.bridgeUri("tcp://127.0.0.1:" + brokerPort)
                        .bridgeClientId("collector-k1")
                        .bridgeGroup(null)
                        .bridgeMaxReconnectDelay(Duration.ofSeconds(1))));
    Path config = writeAgentConfig();

    agent = startAgent(config, "agent-1.log");
    await().atMost(WAIT).until(() -> storedSequences() >= 6);
    agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL, mid-stream
    long headAtKill = chainHead();
    long lastSampleBeforeKill = lastSampleMillis();

    agent = startAgent(config, "agent-2.log");
    await().atMost(WAIT).until(() -> chainHead() >= headAtKill + 4);

    stopBroker();
    long headAtOutage = chainHead();
    await().atMost(WAIT).until(() -> chainHead() >= headAtOutage + 6); // a backlog builds up
    // Hold the agent until the collector has subscribed again, as an operator restarting a site
    // broker would: with shared subscriptions (several collectors) Mosquitto would drop what
    // arrives before then, after acknowledging it to the agent.
    signal(agent, "STOP");
    startBroker();
    awaitCollectorSubscribed();
    signal(agent, "CONT");
    long headAtReturn = chainHead();
    await().atMost(WAIT).until(() -> storedSequencesUpTo(headAtReturn) == headAtReturn + 1);
    // and the backlog replayed (at most 50 batches/s): on SIGTERM the agent waits for the
    // acknowledgements in flight, not for its outbox, which it keeps for its next start
    await().atMost(WAIT).until(() -> storedSequences() == chainHead() + 1);

    agent.destroy(); // SIGTERM: the agent seals its open batch and waits for the acknowledgements
    assertThat(agent.waitFor(20, TimeUnit.SECONDS)).as("agent stopped").isTrue();
    long finalHead = chainHead();
    await().atMost(WAIT).until(() -> storedSequences() == finalHead + 1);

    // every sequence once
    assertThat(query("select count() from lm_batches where instrument = '" + INSTRUMENT + "'"))
        .isEqualTo(finalHead + 1);
    assertThat(query("select max(seq) from lm_batches where instrument = '" + INSTRUMENT + "'"))
        .isEqualTo(finalHead);
    // every sample of every batch once; WAL rows become visible a little after the commit
    long sealedSamples =
        query("select sum(sample_count) from lm_batches where instrument = '" + INSTRUMENT + "'");
    await()
        .atMost(WAIT)
        .until(
            () ->
                query("select count() from lm_samples where instrument = '" + INSTRUMENT + "'")
                    == sealedSamples);
    // on the 50 ms grid with one hole only: the time the agent was dead (a real meter cannot be
    // read afterwards, so that time is unknown); the broker outage left none
    List<Long> ts =
        column(
            "select ts / 1000 from lm_samples where instrument = '" + INSTRUMENT + "' order by ts");
    List<Long> holes = new ArrayList<>();
    for (int i = 1; i < ts.size(); i++) {
      assertThat(ts.get(i)).isGreaterThan(ts.get(i - 1));
      if (ts.get(i) - ts.get(i - 1) != PERIOD_MILLIS) {
        holes.add(ts.get(i - 1));
      }
    }
    assertThat(ts).allSatisfy(t -> assertThat(t % PERIOD_MILLIS).isZero());
    assertThat(holes).hasSize(1);
    assertThat(holes.get(0)).isBetween(lastSampleBeforeKill - PERIOD_MILLIS, lastSampleBeforeKill);
    assertThat(query("select count_distinct(epoch) from lm_batches where agent = '" + AGENT + "'"))
        .isEqualTo(2);
  }

  private void enrol(String db) throws IOException {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    SimulatorKind kind = SimulatorKind.ICP_MS;
    cli(quiet, "registry", "--db", db, "add-facility", "--id", "ifs", "--name", "Institute");
    cli(
        quiet,
        "registry",
        "--db",
        db,
        "add-instrument",
        "--id",
        INSTRUMENT,
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
        "5");
    AgentPublicKey key = AgentMain.keygen(dir.resolve("agent"), quiet);
    cli(
        quiet,
        "registry",
        "--db",
        db,
        "enroll-agent",
        "--id",
        AGENT,
        "--facility",
        "ifs",
        "--public-key",
        key.toBase64(),
        "--instrument",
        INSTRUMENT,
        "--credential-file",
        dir.resolve("agent.password").toString());
  }

  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0)
        .as("kill -" + signal)
        .isTrue();
  }

  /** A status message published now reaches the collector only through its subscription. */
  private void awaitCollectorSubscribed() throws Exception {
    Counter statuses = server.metrics().counter("collector.status.messages");
    double before = statuses.count();
    try (MqttClient probe =
        new MqttClient("tcp://127.0.0.1:" + brokerPort, "probe-k1", new MemoryPersistence())) {
      probe.connect();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                probe.publish(
                    "labmeter/v1/" + AGENT + "/status",
                    "{\"state\":\"online\",\"epoch\":2,\"ts\":0}"
                        .getBytes(StandardCharsets.US_ASCII),
                    1,
                    false);
                return statuses.count() > before;
              });
      probe.disconnect();
    }
  }

  private static void cli(PrintStream out, String... args) {
    PrintStream before = System.out;
    System.setOut(out);
    try {
      assertThat(new CommandLine(new LabMeterCli()).execute(args))
          .as(String.join(" ", args))
          .isZero();
    } finally {
      System.setOut(before);
    }
  }

  private Path writeAgentConfig() throws IOException {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(
        config,
        "agent: {id: "
            + AGENT
            + ", dataDir: ./agent}\n"
            + "mqtt: {uri: 'tcp://127.0.0.1:"
            + brokerPort
            + "', keepAliveSeconds: 5}\n"
            + "batching: {maxSamples: 10, maxAgeMillis: 2000}\n"
            + "replay: {batchesPerSecond: 50, maxInflight: 4}\n"
            + "instruments:\n"
            + "  - id: "
            + INSTRUMENT
            + "\n"
            + "    source: {type: simulated, kind: icp-ms, seed: 3, periodMillis: "
            + PERIOD_MILLIS
            + ", pace: compressed}\n");
    return config;
  }

  /** The agent as it runs on a box: its own JVM, started from the same class path. */
  private Process startAgent(Path config, String log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            java,
            "-Xmx96m",
            "-cp",
            classPath,
            "org.labmeter.agent.AgentMain",
            "run",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile())
        .start();
  }

  /** The newest sequence the agent sealed, from the chain state file it writes after each seal. */
  private long chainHead() throws IOException {
    Path state = dir.resolve("agent/chain/" + INSTRUMENT + ".state");
    if (!Files.exists(state)) {
      return -1;
    }
    return Files.readString(state)
        .lines()
        .filter(l -> l.startsWith("sequence="))
        .mapToLong(l -> Long.parseLong(l.substring("sequence=".length())))
        .findFirst()
        .orElse(-1);
  }

  /** The newest sample time the agent sealed, from the same file. */
  private long lastSampleMillis() throws IOException {
    return Files.readString(dir.resolve("agent/chain/" + INSTRUMENT + ".state"))
        .lines()
        .filter(l -> l.startsWith("lastSampleMillis="))
        .mapToLong(l -> Long.parseLong(l.substring("lastSampleMillis=".length())))
        .findFirst()
        .orElseThrow();
  }

  private List<Long> column(String sql) throws Exception {
    List<Long> out = new ArrayList<>();
    for (JsonNode row : exec(sql).get("dataset")) {
      out.add(row.get(0).asLong());
    }
    return out;
  }

  private long storedSequences() throws Exception {
    return storedSequencesUpTo(Long.MAX_VALUE);
  }

  private long storedSequencesUpTo(long head) throws Exception {
    return query(
        "select count_distinct(seq) from lm_batches where instrument = '"
            + INSTRUMENT
            + "' and seq <= "
            + head);
  }

  /** One number from QuestDB's {@code /exec}; 0 while the table does not exist yet. */
  private long query(String sql) throws Exception {
    JsonNode value = exec(sql).at("/dataset/0/0");
    return value.isMissingNode() || value.isNull() ? 0 : value.asLong();
  }

  private JsonNode exec(String sql) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        server.storeHttpUrl()
                            + "/exec?query="
                            + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  private void startBroker() throws IOException {
    Path brokerDir = dir.resolve("broker");
    Files.createDirectories(brokerDir);
    Path conf = brokerDir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener "
            + brokerPort
            + " 127.0.0.1\n"
            + "allow_anonymous true\n"
            + "persistence true\n"
            + "persistence_location "
            + brokerDir.toAbsolutePath()
            + "/\n"
            + "max_queued_messages 100000\n"
            + "user "
            + System.getProperty("user.name")
            + "\n");
    Path binary = Path.of("/usr/sbin/mosquitto");
    assertThat(Files.isExecutable(binary))
        .as(binary + " is missing; install the Debian package: apt-get install -y mosquitto")
        .isTrue();
    broker =
        new ProcessBuilder(binary.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(brokerDir.resolve("out.log").toFile()))
            .start();
    await("mosquitto on " + brokerPort)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              assertThat(broker.isAlive()).as("mosquitto running").isTrue();
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", brokerPort), 200);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  /** SIGTERM, so that Mosquitto saves its sessions and their queued messages. */
  private void stopBroker() throws InterruptedException {
    if (broker == null) {
      return;
    }
    broker.destroy();
    if (!broker.waitFor(10, TimeUnit.SECONDS)) {
      broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    broker = null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
