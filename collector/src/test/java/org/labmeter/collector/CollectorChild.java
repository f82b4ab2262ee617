package org.labmeter.collector;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.verify.JdbcChainHeads;

/**
 * A collector in a process of its own, for tests that kill it with SIGKILL. Arguments are {@code
 * key=value}: {@code store} (QuestDB HTTP URL), {@code heads} (H2 file path for the chain heads),
 * {@code agent}, {@code secret}, {@code seed} (key seed byte), {@code instrument}, and optionally
 * {@code spool} (directory), {@code bridge} (broker URI), {@code clientId}, {@code group}. Prints
 * {@code LISTENING <port>} once it accepts connections; SIGTERM stops it cleanly.
 */
public final class CollectorChild {
  public static final String READY = "LISTENING ";

  private CollectorChild() {}

  public static void main(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + a.get("heads"));
    JdbcChainHeads heads = new JdbcChainHeads(ds);
    heads.createTableIfMissing();
    CollectorConfig config =
        CollectorConfig.create(
            b -> {
              b.mqttPort(0)
                  .ioThreads(1)
                  .workerShards(2)
                  .storeUrl(a.get("store"))
                  .storeTimeout(Duration.ofSeconds(5));
              if (a.containsKey("spool")) {
                b.spoolDirectory(Path.of(a.get("spool")))
                    .spoolRetryBackoffMax(Duration.ofMillis(500));
              }
              if (a.containsKey("bridge")) {
                b.bridgeUri(a.get("bridge"))
                    .bridgeClientId(a.get("clientId"))
                    .bridgeGroup(a.get("group"));
              }
            });
    Collector collector =
        new Collector(
            config,
            new InMemoryAgentDirectory()
                .put(
                    TestBatches.agent(
                        a.get("agent"),
                        a.get("secret"),
                        TestBatches.signer(Integer.parseInt(a.get("seed"))),
                        a.get("instrument"))),
            heads,
            new SimpleMeterRegistry());
    Runtime.getRuntime().addShutdownHook(new Thread(collector::stop, "child-shutdown"));
    collector.start().orTimeout(60, TimeUnit.SECONDS).join();
    System.out.println(READY + collector.mqttPort());
    System.out.flush();
  }
}
