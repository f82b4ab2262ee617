package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.config.StoreKind;
import org.labmeter.collector.verify.InMemoryChainHeads;

class CollectorLifecycleTest {

  private static Collector collector(CollectorConfig config) {
    return new Collector(
        config, new InMemoryAgentDirectory(), new InMemoryChainHeads(), new SimpleMeterRegistry());
  }

  @Test
  void anUnreachableQuestDbFailsTheStartAndLeavesNothingRunning() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    int port = deadPort;
    Collector collector =
        collector(CollectorConfig.create(b -> b.mqttPort(0).storeUrl("http://127.0.0.1:" + port)));

    assertThatThrownBy(() -> collector.start().orTimeout(30, TimeUnit.SECONDS).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(collector::mqttPort).isInstanceOf(IllegalStateException.class);
    collector.stop();
  }

  @Test
  void aPortInUseFailsTheStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Collector collector =
          collector(
              CollectorConfig.create(
                  b ->
                      b.mqttPort(taken.getLocalPort())
                          .storeKind(StoreKind.INFLUXDB)
                          .storeUrl("http://127.0.0.1:1")));

      assertThatThrownBy(() -> collector.start().orTimeout(30, TimeUnit.SECONDS).join())
          .isInstanceOf(CompletionException.class);
      collector.stop();
    }
  }

  @Test
  void stopBeforeStartAndTwiceIsHarmlessAndAStoppedCollectorDoesNotStart() {
    Collector collector =
        collector(
            CollectorConfig.create(
                b -> b.mqttPort(0).storeKind(StoreKind.INFLUXDB).storeUrl("http://127.0.0.1:1")));
    collector.stop();
    collector.stop();

    assertThatThrownBy(() -> collector.start().orTimeout(30, TimeUnit.SECONDS).join())
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(collector.start()).isCompletedExceptionally();
  }
}
