package org.labmeter.collector.mqtt;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.verify.ChainLink;

/**
 * The real listener (server, pipeline, handler, registry, authenticator) on a free loopback port,
 * in front of a sink that notes each payload and answers what the test chose. Two agents: agent-1
 * (secret-1, instrument nmr-1) and agent-2 (secret-2, instrument sem-1).
 */
final class ListenerFixture implements AutoCloseable {
  static final String TOPIC_1 = "labmeter/v1/agent-1/nmr-1/telemetry";
  static final String TOPIC_2 = "labmeter/v1/agent-2/sem-1/telemetry";

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final CollectorMetrics metrics = new CollectorMetrics(registry);
  final SessionRegistry sessions = new SessionRegistry();
  final List<String> stored = new CopyOnWriteArrayList<>();
  volatile Function<String, IngestOutcome> answer =
      body -> new IngestOutcome.Stored(1, ChainLink.LINKED);

  private final ExecutorService auth =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "test-auth"));
  private final MqttServer server;
  final int port;

  ListenerFixture(ListenerSettings settings) {
    InMemoryAgentDirectory directory =
        new InMemoryAgentDirectory()
            .put(TestBatches.agent("agent-1", "secret-1", TestBatches.signer(1), "nmr-1"))
            .put(TestBatches.agent("agent-2", "secret-2", TestBatches.signer(2), "sem-1"));
    PublishSink sink =
        new PublishSink() {
          @Override
          public IngestOutcome telemetry(
              AgentRecord agent, String instrumentId, String topic, byte[] payload, long at) {
            String body = new String(payload, StandardCharsets.UTF_8);
            stored.add(agent.agentId() + " " + body);
            return answer.apply(body);
          }

          @Override
          public IngestOutcome status(AgentRecord agent, byte[] payload) {
            return new IngestOutcome.StatusNoted();
          }
        };
    ShardDispatcher inline =
        (agentId, task, resume) -> {
          task.run();
          return ShardDispatcher.Admission.ACCEPTED;
        };
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(directory), auth, inline, sink, sessions, metrics, settings);
    SslContext tls = settings.tls() == null ? null : ServerTls.context(settings.tls());
    server =
        new MqttServer(
            "127.0.0.1",
            0,
            1,
            new MqttChannelInitializer(300_000, Duration.ofSeconds(10), services, tls));
    port = server.start().orTimeout(10, TimeUnit.SECONDS).join().getPort();
  }

  static ListenerSettings settings() {
    return ListenerSettings.DEFAULT;
  }

  double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    server.stopAccepting();
    sessions.closeAll().awaitUninterruptibly(5_000);
    server.shutdown(Duration.ofSeconds(5));
    auth.shutdownNow();
  }
}
