package org.labmeter.metering.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.store.FleetReader;
import org.labmeter.metering.store.LatestSample;
import org.labmeter.metering.usage.LiveState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poller per process for every live screen: each period it asks the store for the newest sample
 * of every instrument (one query), advances each instrument's {@link LiveTracker}, and sends what
 * changed to every connected {@link LiveClient} that may see it. An event is serialized once per
 * visibility key, not once per client. The poll and the fan-out run on the named thread "live-hub";
 * socket writes run on each connection's event loop.
 */
public final class LiveHub {
  private static final Logger log = LoggerFactory.getLogger(LiveHub.class);

  /** How far back the periodic poll looks; older instruments keep what the hub already knew. */
  static final long POLL_LOOK_BACK_MILLIS = 10 * 60_000L;

  /** How far back the first poll looks, so instruments long offline show their last sample. */
  static final long FIRST_LOOK_BACK_MILLIS = 7L * 24 * 3_600_000L;

  static final long REGISTRY_REFRESH_MILLIS = 30_000L;
  static final long HEARTBEAT_MILLIS = 15_000L;

  /** Instruments seeded from the full derivation per poll, so a large fleet spreads the cost. */
  static final int SEEDS_PER_POLL = 25;

  /** Events a client may have waiting for its socket before it is dropped as too slow. */
  public static final int CLIENT_QUEUE_LIMIT = 64;

  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private final Supplier<List<Instrument>> instruments;
  private final Supplier<Map<String, DerivationProfile>> profiles;
  private final FleetReader fleet;
  private final Function<String, Optional<LiveState>> seeder;
  private final Clock clock;
  private final Duration period;
  private final long staleAfterMillis;
  private final Map<String, LiveTracker> trackers = new HashMap<>();
  private final Set<LiveClient> clients = ConcurrentHashMap.newKeySet();
  private final Counter dropped;
  private final Counter events;
  private final Counter pollFailures;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile Map<String, LiveView> snapshot = Map.of();
  private volatile long snapshotAt = -1;
  private long lastRegistryRefresh = Long.MIN_VALUE / 2;
  private long lastHeartbeat;
  private ScheduledExecutorService executor;

  public LiveHub(
      Supplier<List<Instrument>> instruments,
      Supplier<Map<String, DerivationProfile>> profiles,
      FleetReader fleet,
      Function<String, Optional<LiveState>> seeder,
      Clock clock,
      Duration period,
      Duration staleAfter,
      MeterRegistry metrics) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("live poll period (" + period + ") must be positive");
    }
    this.instruments = instruments;
    this.profiles = profiles;
    this.fleet = fleet;
    this.seeder = seeder;
    this.clock = clock;
    this.period = period;
    this.staleAfterMillis = staleAfter.toMillis();
    this.dropped =
        Counter.builder("labmeter.live.clients.dropped")
            .description("live feed clients closed because they read too slowly")
            .register(metrics);
    this.events = Counter.builder("labmeter.live.events.sent").register(metrics);
    this.pollFailures = Counter.builder("labmeter.live.poll.failures").register(metrics);
    Gauge.builder("labmeter.live.clients", clients, Set::size).register(metrics);
  }

  /** Reads the registry's profiles for {@link #LiveHub}'s profile supplier. */
  public static Map<String, DerivationProfile> profilesInForce(
      javax.sql.DataSource registryDb, long nowMillis) {
    return ProfileTable.inForce(registryDb, nowMillis);
  }

  public synchronized CompletableFuture<Void> start() {
    if (executor == null && !stopped.get()) {
      executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "live-hub");
                t.setDaemon(true);
                return t;
              });
      lastHeartbeat = clock.millis();
      executor.scheduleWithFixedDelay(this::safeTick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }
    return CompletableFuture.completedFuture(null);
  }

  public synchronized void stop() {
    if (stopped.compareAndSet(false, true)) {
      if (executor != null) {
        executor.shutdownNow();
      }
      clients.forEach(LiveClient::close);
      clients.clear();
    }
  }

  /** The live state of every instrument at the last poll; empty before the first one. */
  public Map<String, LiveView> snapshot() {
    return snapshot;
  }

  /** When the last poll finished, or -1 before the first one. */
  public long snapshotAtMillis() {
    return snapshotAt;
  }

  public int clientCount() {
    return clients.size();
  }

  public double droppedClients() {
    return dropped.count();
  }

  /** Connects a client: it gets the current snapshot first, then every change. */
  public void add(LiveClient client) {
    clients.add(client);
    Buffer first = event("snapshot", snapshot.values(), client, snapshotAt);
    if (!client.send(first, CLIENT_QUEUE_LIMIT)) {
      remove(client);
    }
  }

  public void remove(LiveClient client) {
    client.closedByPeer();
    clients.remove(client);
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      pollFailures.increment();
      log.warn("live poll failed; the next poll in {} tries again", period, e);
    }
  }

  /** One poll and fan-out, on the hub's thread (package-private for tests). */
  void tick() {
    long now = clock.millis();
    if (now - lastRegistryRefresh >= REGISTRY_REFRESH_MILLIS) {
      refreshRegistry(now);
    }
    boolean first = snapshotAt < 0;
    for (LatestSample s :
        fleet.latest(now - (first ? FIRST_LOOK_BACK_MILLIS : POLL_LOOK_BACK_MILLIS))) {
      LiveTracker t = trackers.get(s.instrumentId());
      if (t != null) {
        t.offer(s);
      }
    }
    seed();
    Map<String, LiveView> views = new HashMap<>(trackers.size() * 2);
    List<LiveView> changed = new ArrayList<>();
    for (Map.Entry<String, LiveTracker> e : trackers.entrySet()) {
      LiveView v = e.getValue().view(now, staleAfterMillis);
      views.put(e.getKey(), v);
      if (e.getValue().worthSending(v)) {
        e.getValue().markSent(v);
        changed.add(v);
      }
    }
    snapshot = Map.copyOf(views);
    snapshotAt = now;
    if (first) {
      // clients that connected before the first poll got an empty snapshot
      fanOut("snapshot", views.values(), now);
    } else if (!changed.isEmpty()) {
      fanOut("update", changed, now);
    }
    if (now - lastHeartbeat >= HEARTBEAT_MILLIS) {
      lastHeartbeat = now;
      for (LiveClient c : clients) {
        send(c, HEARTBEAT);
      }
    }
  }

  private void seed() {
    int budget = SEEDS_PER_POLL;
    for (Map.Entry<String, LiveTracker> e : trackers.entrySet()) {
      LiveTracker t = e.getValue();
      if (budget == 0) {
        return;
      }
      if (!t.seeded() && t.hasSample()) {
        budget--;
        try {
          t.seed(seeder.apply(e.getKey()).orElse(null));
        } catch (RuntimeException ex) {
          t.seed(null);
          log.warn("live state of instrument {} not seeded from the derivation", e.getKey(), ex);
        }
      }
    }
  }

  private void refreshRegistry(long now) {
    Map<String, DerivationProfile> inForce = profiles.get();
    Map<String, Instrument> current = new HashMap<>();
    for (Instrument i : instruments.get()) {
      current.put(i.id(), i);
    }
    trackers.keySet().retainAll(current.keySet());
    for (Instrument i : current.values()) {
      DerivationProfile p = inForce.get(i.id());
      if (p == null) {
        continue;
      }
      LiveTracker t = trackers.get(i.id());
      if (t == null || !t.facilityId().equals(i.facilityId())) {
        trackers.put(i.id(), new LiveTracker(i.id(), i.facilityId(), p));
      } else {
        t.profile(p);
      }
    }
    lastRegistryRefresh = now;
  }

  private void fanOut(String name, java.util.Collection<LiveView> changed, long now) {
    Map<String, Buffer> byKey = new HashMap<>();
    for (LiveClient c : clients) {
      Buffer b = byKey.computeIfAbsent(c.visibilityKey(), k -> event(name, changed, c, now));
      send(c, b);
    }
  }

  private void send(LiveClient c, Buffer b) {
    if (c.closed()) {
      clients.remove(c);
    } else if (!c.send(b, CLIENT_QUEUE_LIMIT)) {
      clients.remove(c);
      dropped.increment();
      log.info("live feed client dropped: more than {} events waiting", CLIENT_QUEUE_LIMIT);
    } else {
      events.increment();
    }
  }

  /** {@code event: name} with one JSON line: {"at":millis,"instruments":[...]}. */
  static Buffer event(String name, Iterable<LiveView> views, LiveClient visibleTo, long atMillis) {
    StringBuilder b = new StringBuilder(4096);
    b.append("event: ").append(name).append("\ndata: {\"at\":").append(atMillis);
    b.append(",\"instruments\":[");
    boolean any = false;
    for (LiveView v : views) {
      if (visibleTo.canRead(v.facilityId())) {
        if (any) {
          b.append(',');
        }
        v.appendJson(b);
        any = true;
      }
    }
    b.append("]}\n\n");
    return Buffer.buffer(b.toString().getBytes(StandardCharsets.UTF_8));
  }
}
