package org.labmeter.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.mqtt.ClientAuthMode;
import org.labmeter.collector.mqtt.ListenerSettings;
import org.labmeter.collector.mqtt.TlsSettings;

/** The listener's limits and TLS in the YAML file, and the messages a wrong value gets. */
class ListenerConfigTest {
  @TempDir Path dir;
  private Path chain;
  private Path key;
  private Path trusted;

  @BeforeEach
  void files() throws IOException {
    // only their being readable is checked here; their content when the listener starts
    chain = Files.writeString(dir.resolve("server.pem"), "chain");
    key = Files.writeString(dir.resolve("server.key"), "key");
    trusted = Files.writeString(dir.resolve("ca.pem"), "ca");
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "collector", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void limitsAndTlsLoad() throws IOException {
    Path file =
        write(
            """
            mqtt:
              minKeepAlive: 5s
              maxKeepAlive: 10m
              maxConnectionsPerAgent: 2
              publishRatePerAgent: 2.5
              publishBurstPerAgent: 20
              receiveMaximum: 32
            tls:
              certificateChain: %s
              privateKey: %s
              trustedCertificates: %s
              clientAuth: Optional
              certificateReplacesPassword: true
            """
                .formatted(chain, key, trusted));

    ListenerSettings listener = CollectorConfig.load(file).listener();

    assertThat(listener)
        .isEqualTo(
            new ListenerSettings(
                Duration.ofSeconds(5),
                Duration.ofMinutes(10),
                2,
                2.5,
                20,
                32,
                new TlsSettings(
                    chain, key, null, null, null, trusted, ClientAuthMode.OPTIONAL, true)));
  }

  @Test
  void defaultsAreNoTlsAndLooseLimits() throws IOException {
    assertThat(CollectorConfig.load(write("mqtt: { port: 1883 }\n")).listener())
        .isEqualTo(ListenerSettings.DEFAULT);
  }

  @Test
  void wrongValuesNameTheFieldAndTheAllowedValues() throws IOException {
    Path badMode = write("tls: { keyStore: %s, clientAuth: sometimes }\n".formatted(chain));
    assertThatThrownBy(() -> CollectorConfig.load(badMode))
        .hasMessage(
            badMode + ": tls.clientAuth: 'sometimes' is not one of none, optional, required");

    Path noTrust =
        write(
            "tls: { certificateChain: %s, privateKey: %s, clientAuth: required }\n"
                .formatted(chain, key));
    assertThatThrownBy(() -> CollectorConfig.load(noTrust))
        .hasMessage(noTrust + ": tls.trustedCertificates: must be set");

    Path noKey =
        write("tls: { clientAuth: optional, trustedCertificates: %s }\n".formatted(trusted));
    assertThatThrownBy(() -> CollectorConfig.load(noKey))
        .hasMessageStartingWith(noKey + ": tls.clientAuth: needs tls.keyStore");

    Path both =
        write(
            "tls: { certificateChain: %s, privateKey: %s, keyStore: %s }\n"
                .formatted(chain, key, chain));
    assertThatThrownBy(() -> CollectorConfig.load(both))
        .hasMessageStartingWith(both + ": tls.keyStore: give either tls.keyStore");

    Path perAgent = write("mqtt: { maxConnectionsPerAgent: 0 }\n");
    assertThatThrownBy(() -> CollectorConfig.load(perAgent))
        .hasMessage(perAgent + ": mqtt.maxConnectionsPerAgent: must be 1..1000, got 0");

    Path keepAlive = write("mqtt: { minKeepAlive: 60s, maxKeepAlive: 30s }\n");
    assertThatThrownBy(() -> CollectorConfig.load(keepAlive))
        .hasMessageStartingWith(
            keepAlive + ": mqtt.maxKeepAlive: must be 0s (no bound) or at least");

    Path rate = write("mqtt: { publishRatePerAgent: -1 }\n");
    assertThatThrownBy(() -> CollectorConfig.load(rate))
        .hasMessageStartingWith(rate + ": mqtt.publishRatePerAgent: must be 0 (no limit)");
  }
}
