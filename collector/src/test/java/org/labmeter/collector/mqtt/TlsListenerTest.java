package org.labmeter.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.config.ConfigException;

/**
 * The TLS listener with certificates made at test time, against Paho's MQTT 5 client and
 * Mosquitto's {@code mosquitto_pub} (Debian package {@code mosquitto-clients}).
 */
class TlsListenerTest {
  private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");

  @TempDir static Path dir;
  private static TestCertificates ca;
  private static TestCertificates otherCa;
  private static TestCertificates.Issued server;
  private static TestCertificates.Issued agent1;
  private static TestCertificates.Issued agent1ByAlternativeName;
  private static TestCertificates.Issued strangerAgent1;

  @BeforeAll
  static void makeCertificates() throws Exception {
    ca = new TestCertificates(dir, "labmeter-test-ca");
    otherCa = new TestCertificates(dir, "other-ca");
    server = ca.server();
    agent1 = ca.client("agent-1");
    agent1ByAlternativeName = ca.clientWithAlternativeName("instrument-pc-7", "agent-1");
    strangerAgent1 = otherCa.client("agent-1");
  }

  private static ListenerSettings pem(ClientAuthMode clientAuth, boolean replacesPassword) {
    return ListenerSettings.DEFAULT.withTls(
        new TlsSettings(
            server.pem(),
            server.key(),
            null,
            null,
            null,
            clientAuth == ClientAuthMode.NONE ? null : ca.caPem(),
            clientAuth,
            replacesPassword));
  }

  private static String uri(ListenerFixture listener) {
    return "ssl://127.0.0.1:" + listener.port;
  }

  @Test
  void aClientCertificateNamingTheAgentStandsInForThePassword() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(pem(ClientAuthMode.REQUIRED, true));
        Paho5 agent = new Paho5(uri(listener), "agent-1-a")) {
      agent.connect(Paho5.options("agent-1", null, ca.clientContext(agent1)));

      assertThat(agent.publish(ListenerFixture.TOPIC_1, "over tls").getReasonCodes())
          .containsExactly(0x00);
      assertThat(listener.stored).containsExactly("agent-1 over tls");
    }
  }

  @Test
  void aCertificateNamingAnotherAgentIsRefusedEvenWithTheRightPassword() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(pem(ClientAuthMode.REQUIRED, true));
        Paho5 agent = new Paho5(uri(listener), "agent-2-a")) {
      MqttException refused =
          catchThrowableOfType(
              MqttException.class,
              () -> agent.connect(Paho5.options("agent-2", "secret-2", ca.clientContext(agent1))));

      assertThat(refused.getReasonCode()).isEqualTo(0x87);
      assertThat(
              listener.counter("collector.connections.refused", "reason", "certificate_mismatch"))
          .isEqualTo(1);
    }
  }

  @Test
  void withoutACertificateARequiredHandshakeFailsAndAnOptionalOneNeedsThePassword()
      throws Exception {
    try (ListenerFixture listener = new ListenerFixture(pem(ClientAuthMode.REQUIRED, true));
        Paho5 agent = new Paho5(uri(listener), "agent-1-a")) {
      assertThatThrownBy(
              () -> agent.connect(Paho5.options("agent-1", "secret-1", ca.clientContext(null))))
          .isInstanceOf(MqttException.class);
    }
    try (ListenerFixture listener = new ListenerFixture(pem(ClientAuthMode.OPTIONAL, true));
        Paho5 noPassword = new Paho5(uri(listener), "agent-1-a");
        Paho5 withPassword = new Paho5(uri(listener), "agent-1-b")) {
      MqttException refused =
          catchThrowableOfType(
              MqttException.class,
              () -> noPassword.connect(Paho5.options("agent-1", null, ca.clientContext(null))));
      assertThat(refused.getReasonCode()).isEqualTo(0x86); // bad user name or password

      withPassword.connect(Paho5.options("agent-1", "secret-1", ca.clientContext(null)));
      assertThat(withPassword.publish(ListenerFixture.TOPIC_1, "pw").getReasonCodes())
          .containsExactly(0x00);
    }
  }

  @Test
  void aCertificateFromAnotherAuthorityFailsTheHandshake() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(pem(ClientAuthMode.REQUIRED, true));
        Paho5 agent = new Paho5(uri(listener), "agent-1-a")) {
      assertThatThrownBy(
              () -> agent.connect(Paho5.options("agent-1", null, ca.clientContext(strangerAgent1))))
          .isInstanceOf(MqttException.class);
      assertThat(listener.stored).isEmpty();
    }
  }

  @Test
  void aPkcs12KeyStoreServesAndASubjectAlternativeNameNamesTheAgent() throws Exception {
    ListenerSettings settings =
        ListenerSettings.DEFAULT.withTls(
            new TlsSettings(
                null,
                null,
                null,
                server.p12(),
                TestCertificates.STORE_PASSWORD,
                ca.caPem(),
                ClientAuthMode.OPTIONAL,
                true));
    try (ListenerFixture listener = new ListenerFixture(settings);
        Paho5 agent = new Paho5(uri(listener), "agent-1-a")) {
      agent.connect(Paho5.options("agent-1", null, ca.clientContext(agent1ByAlternativeName)));

      assertThat(agent.publish(ListenerFixture.TOPIC_1, "p12").getReasonCodes())
          .containsExactly(0x00);
    }
  }

  @Test
  void mosquittoPubPublishesOverTlsWithItsCertificateAndMqtt5() throws Exception {
    assertThat(MOSQUITTO_PUB)
        .as(MOSQUITTO_PUB + " is missing; install: apt-get install -y mosquitto-clients")
        .isExecutable();
    try (ListenerFixture listener = new ListenerFixture(pem(ClientAuthMode.REQUIRED, true))) {
      int rc =
          mosquittoPub(
              listener.port,
              "--cafile",
              ca.caPem().toString(),
              "--cert",
              agent1.pem().toString(),
              "--key",
              agent1.key().toString(),
              "-u",
              "agent-1",
              "-m",
              "from mosquitto");

      assertThat(rc).isZero();
      assertThat(listener.stored).containsExactly("agent-1 from mosquitto");

      int mismatch =
          mosquittoPub(
              listener.port,
              "--cafile",
              ca.caPem().toString(),
              "--cert",
              agent1.pem().toString(),
              "--key",
              agent1.key().toString(),
              "-u",
              "agent-2",
              "-m",
              "not agent-2");
      assertThat(mismatch).isNotZero();
      assertThat(listener.stored).hasSize(1);
    }
  }

  @Test
  void mosquittoPubPublishesOverPlainTcpWithMqtt5() throws Exception {
    assertThat(MOSQUITTO_PUB).isExecutable();
    try (ListenerFixture listener = new ListenerFixture(ListenerSettings.DEFAULT)) {
      int rc = mosquittoPub(listener.port, "-u", "agent-1", "-P", "secret-1", "-m", "plain v5");

      assertThat(rc).isZero();
      assertThat(listener.stored).containsExactly("agent-1 plain v5");
    }
  }

  @Test
  void unreadableKeyMaterialIsRefusedAtStartNamingTheField() throws IOException {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
    assertThatThrownBy(
            () ->
                ServerTls.context(
                    new TlsSettings(
                        server.pem(), garbage, null, null, null, null, ClientAuthMode.NONE, false)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tlsPrivateKey: ");
    assertThatThrownBy(
            () ->
                new TlsSettings(
                    server.pem(),
                    server.key(),
                    null,
                    null,
                    null,
                    null,
                    ClientAuthMode.REQUIRED,
                    false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tlsTrustedCertificates: must be set");
    assertThatThrownBy(
            () ->
                new TlsSettings(
                    dir.resolve("missing.pem"),
                    server.key(),
                    null,
                    null,
                    null,
                    null,
                    ClientAuthMode.NONE,
                    false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tlsCertificateChain: cannot read file");
  }

  private static int mosquittoPub(int port, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(MOSQUITTO_PUB.toString());
    command.addAll(
        List.of(
            "-d",
            "-V",
            "mqttv5",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(port),
            "-i",
            "mosquitto-" + System.nanoTime(),
            "-q",
            "1",
            "-t",
            ListenerFixture.TOPIC_1));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "mosquitto_pub", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("mosquitto_pub did not finish in 15 s: " + Files.readString(log));
    }
    System.out.println("mosquitto_pub: " + Files.readString(log, StandardCharsets.UTF_8).strip());
    return process.exitValue();
  }
}
