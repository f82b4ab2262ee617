package org.labmeter.collector.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.config.ConfigException;

class BridgeSettingsTest {
  @TempDir Path dir;

  @Test
  void theBridgeSectionOfAFileBecomesSettings() throws IOException {
    Path file = dir.resolve("collector.yaml");
    Files.writeString(
        file,
        """
        bridge: { uri: "tcp://broker.lab:1883", clientId: collector-a, group: fleet-1,
                  user: col, password: pw, keepAlive: 20s, maxReconnectDelay: 5s }
        """);

    BridgeSettings bridge = CollectorConfig.load(file).bridge();

    assertThat(bridge)
        .isEqualTo(
            new BridgeSettings(
                "tcp://broker.lab:1883",
                "collector-a",
                "fleet-1",
                "col",
                "pw",
                Duration.ofSeconds(20),
                Duration.ofSeconds(5)));
    assertThat(bridge.shared("labmeter/v1/+/status"))
        .isEqualTo("$share/fleet-1/labmeter/v1/+/status");
    assertThat(bridge.toString()).doesNotContain("pw").contains("password=***");
  }

  @Test
  void withoutABridgeSectionThereIsNoBridge() {
    assertThat(CollectorConfig.create(b -> {}).bridge()).isNull();
  }

  @Test
  void badValuesNameTheKeyOfTheFile() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file, "bridge: { uri: \"tcp://broker:1883\", clientId: a, group: \"a/b\" }\n");

    assertThatThrownBy(() -> CollectorConfig.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": bridge.group: must be null (no sharing) or 1..64 of");
  }

  @Test
  void aNullGroupSubscribesWithoutSharing() throws IOException {
    Path file = dir.resolve("single.yaml");
    Files.writeString(file, "bridge: { uri: \"tcp://broker:1883\", clientId: a, group: null }\n");

    BridgeSettings settings = CollectorConfig.load(file).bridge();

    assertThat(settings.shareGroup()).isNull();
    assertThat(settings.shared("labmeter/v1/+/status")).isEqualTo("labmeter/v1/+/status");
    assertThat(BridgeSettings.of("tcp://b:1883", "c").shared("x")).isEqualTo("$share/labmeter/x");
  }

  @Test
  void aClientIdWithoutABrokerIsRefused() {
    assertThatThrownBy(() -> CollectorConfig.create(b -> b.bridgeClientId("c1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bridgeUri");
    assertThatThrownBy(() -> BridgeSettings.of("http://broker:1883", "c1"))
        .hasMessageContaining("bridgeUri: must be tcp://host:port or ssl://host:port");
    assertThatThrownBy(() -> BridgeSettings.of("tcp://broker:1883", null))
        .hasMessageContaining("bridgeClientId");
  }
}
