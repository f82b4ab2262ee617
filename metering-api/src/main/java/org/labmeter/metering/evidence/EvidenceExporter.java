package org.labmeter.metering.evidence;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.ProfileVersion;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.QuestDbBatchReader;
import org.labmeter.metering.store.StoredBatch;
import org.labmeter.metering.usage.InstrumentUsage;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.AgentPublicKey;

/**
 * Assembles an {@link EvidenceBundle} from the registry and the stores. Blocks on JDBC; callers on
 * an event loop use a worker. The server's numbers come from the same {@link UsageService} the
 * usage endpoint calls, so the bundle carries exactly what the API serves.
 */
public final class EvidenceExporter {
  private final Registry registry;
  private final UsageService usage;
  private final QuestDbBatchReader batches;
  private final Clock clock;

  public EvidenceExporter(
      Registry registry, UsageService usage, QuestDbBatchReader batches, Clock clock) {
    this.registry = registry;
    this.usage = usage;
    this.batches = batches;
    this.clock = clock;
  }

  /** The bundle for [from, to), or empty when the instrument is not registered. */
  public Optional<EvidenceBundle> export(String instrumentId, Instant from, Instant to) {
    Optional<Instrument> instrument = registry.instrument(instrumentId);
    if (instrument.isEmpty()) {
      return Optional.empty();
    }
    InstrumentUsage server = usage.usage(instrumentId, from, to).orElseThrow();
    // the same range the server read: the widest context of any profile version
    long margin =
        usage
            .schedule(instrumentId)
            .map(UsageService::contextMarginMillis)
            .orElseGet(() -> UsageService.contextMarginMillis(server.profile().profile()));
    long readFrom = from.toEpochMilli() - margin;
    long readTo = to.toEpochMilli() + margin;
    List<StoredBatch> stored = new ArrayList<>(batches.overlapping(instrumentId, readFrom, readTo));
    stored.addAll(predecessors(instrumentId, stored));

    List<BundledAgent> agents = new ArrayList<>();
    for (String agentId : stored.stream().map(StoredBatch::agentId).distinct().sorted().toList()) {
      registry
          .agentKey(agentId)
          .map(AgentPublicKey::toBase64)
          .ifPresent(key -> agents.add(new BundledAgent(agentId, key)));
    }
    List<BundledProfile> profiles = new ArrayList<>();
    for (ProfileVersion v : registry.profiles(instrumentId)) {
      profiles.add(new BundledProfile(v.version(), v.validFrom().toEpochMilli(), v.profile()));
    }
    return Optional.of(
        new EvidenceBundle(
            EvidenceBundle.FORMAT,
            clock.millis(),
            instrumentId,
            instrument.get().name(),
            from.toEpochMilli(),
            to.toEpochMilli(),
            readFrom,
            readTo,
            StateDeriver.ALGORITHM_VERSION,
            profiles,
            agents,
            stored,
            new ServerResult(server.profile().version(), server.samplesRead(), server.usage())));
  }

  /**
   * For each chain, the stored batch(es) just before its earliest bundled one: their hashes are
   * what the earliest batch's previous-hash must name. Their samples lie before the read range.
   */
  private List<StoredBatch> predecessors(String instrumentId, List<StoredBatch> stored) {
    Map<String, StoredBatch> earliest = new LinkedHashMap<>();
    for (StoredBatch b : stored) {
      earliest.merge(b.agentId(), b, (x, y) -> x.sequence() <= y.sequence() ? x : y);
    }
    List<StoredBatch> out = new ArrayList<>();
    for (StoredBatch first : earliest.values()) {
      if (first.sequence() > 0) {
        out.addAll(
            batches.withSequence(
                instrumentId, first.agentId(), first.sequence() - 1, first.firstTimestampMillis()));
      }
    }
    return out;
  }
}
