package org.labmeter.metering.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.questdb.client.Sender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.metering.auth.IssuedToken;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.http.MeteringApi;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.QuestDbSampleReader;

/**
 * A metering API over the collector's embedded QuestDB with a synthetic fleet, for the live and
 * dashboard benchmarks (bench/live-dashboard.sh). Instruments bench-0000.. each get one sample a
 * second whose power moves by more than 1 % every time, so every instrument changes every second;
 * the first {@code history} instruments also get {@code hours} of 1 Hz history for the usage
 * queries. Writes an evaluator token to {@code <folder>/token} and the API's port to {@code
 * <folder>/port} once ready and runs until killed.
 *
 * <p>Arguments: data folder, instruments (1000), instruments with history (20), history hours (24).
 */
public final class LiveBenchServer {
  static final DerivationProfile PROFILE =
      DerivationProfile.create(
          b ->
              b.offBelowW(10)
                  .onThresholdW(800)
                  .offThresholdW(500)
                  .minOn(Duration.ofSeconds(30))
                  .minOff(Duration.ofSeconds(30))
                  .maxSampleGap(Duration.ofSeconds(30)));

  private LiveBenchServer() {}

  static String id(int k) {
    return String.format("bench-%04d", k);
  }

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int history = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int hours = args.length > 3 ? Integer.parseInt(args[3]) : 24;
    Files.createDirectories(folder);
    EmbeddedQuestDb db = EmbeddedQuestDb.start(folder.resolve("questdb"), 0, 0);
    StoreSchema.ensureQuestDb(db.httpUrl());
    RelationalStore store = RelationalStore.open("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", "sa", "");
    Registry registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("bench", "Bench institute", "基准研究所"));
    Instant from = Instant.parse("2020-01-01T00:00:00Z");
    for (int k = 0; k < n; k++) {
      registry.addInstrument(
          new Instrument(id(k), "bench", "Instrument " + k, "仪器 " + k, "M-" + (k % 7), "B" + k),
          PROFILE,
          from);
    }
    String ilp = "http::addr=127.0.0.1:" + db.httpPort() + ";auto_flush_rows=50000;";
    long now = System.currentTimeMillis() / 1000 * 1000;
    long t0 = System.nanoTime();
    try (Sender s = Sender.fromConfig(ilp)) {
      for (int k = 0; k < history; k++) {
        SplittableRandom r = new SplittableRandom(k);
        for (long t = now - hours * 3_600_000L; t < now; t += 1000) {
          // runs of about 20 minutes at 1.2 kW, then 20 minutes at 100 W
          double w = ((t / 1_200_000L + k) % 2 == 0 ? 1200 : 100) * (0.97 + 0.06 * r.nextDouble());
          row(s, id(k), w).at(t, ChronoUnit.MILLIS);
        }
      }
    }
    System.out.printf(
        "loaded %,d history samples in %.1f s%n",
        (long) history * hours * 3600, (System.nanoTime() - t0) / 1e9);
    QuestDbSampleReader reader = new QuestDbSampleReader(db.pgJdbcUrl(), "admin", "quest");
    MeteringApi api =
        new MeteringApi(
            ApiConfig.create(b -> b.port(0)),
            registry,
            reader,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().get();
    ScheduledExecutorService writer =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-writer"));
    Sender live = Sender.fromConfig(ilp);
    double[] level = new double[n];
    writer.scheduleAtFixedRate(
        () -> {
          long t = System.currentTimeMillis();
          for (int k = 0; k < n; k++) {
            // alternate between two levels 2 % apart, so that every sample is a change worth
            // sending
            level[k] = (t / 1000 + k) % 2 == 0 ? 1000 : 1020;
            row(live, id(k), level[k]).at(t, ChronoUnit.MILLIS);
          }
          live.flush();
        },
        0,
        1,
        TimeUnit.SECONDS);
    // An evaluator token for the load tools (every /api/v1 request needs one), then the port.
    IssuedToken token = new TokenStore(store.dataSource()).create(Role.EVALUATOR, null, "bench");
    Files.writeString(folder.resolve("token"), token.bearer());
    Files.writeString(folder.resolve("port"), Integer.toString(api.port()));
    System.out.printf(
        "API on port %d with %d instruments; writing %d samples/s%n", api.port(), n, n);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  writer.shutdownNow();
                  api.stop();
                  reader.close();
                  db.close();
                }));
    Thread.currentThread().join();
  }

  static Sender row(Sender s, String instrument, double watts) {
    return s.table("lm_samples")
        .symbol("instrument", instrument)
        .symbol("agent", "bench-agent")
        .doubleColumn("power_w", watts)
        .longColumn("run_flag", 0)
        .longColumn("quality", 0)
        .boolColumn("verified", true);
  }
}
