package org.labmeter.metering.evidence;

import java.util.List;
import java.util.Objects;
import org.labmeter.metering.store.StoredBatch;

/**
 * Everything needed to re-check one instrument's number for one window without the server: the
 * stored envelopes of every chain that overlaps the samples read, the agents' keys, the profile
 * versions and the server's own result.
 *
 * @param format {@link #FORMAT}
 * @param fromMillis window start, inclusive
 * @param toMillis window end, exclusive
 * @param readFromMillis start of the samples the derivation reads (window minus context margin)
 * @param readToMillis end of the samples the derivation reads (window plus context margin)
 * @param batches the stored batches, including one predecessor per chain that confirms the first
 *     link
 */
public record EvidenceBundle(
    String format,
    long exportedAtMillis,
    String instrumentId,
    String instrumentName,
    long fromMillis,
    long toMillis,
    long readFromMillis,
    long readToMillis,
    String algorithmVersion,
    List<BundledProfile> profiles,
    List<BundledAgent> agents,
    List<StoredBatch> batches,
    ServerResult server) {

  public static final String FORMAT = "labmeter-evidence/1";

  public EvidenceBundle {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(instrumentId, "instrumentId");
    Objects.requireNonNull(algorithmVersion, "algorithmVersion");
    profiles = List.copyOf(profiles);
    agents = List.copyOf(agents);
    batches = List.copyOf(batches);
    Objects.requireNonNull(server, "server");
  }

  /** A copy with other batches, for tests and tools that cut a bundle down. */
  public EvidenceBundle withBatches(List<StoredBatch> other) {
    return new EvidenceBundle(
        format,
        exportedAtMillis,
        instrumentId,
        instrumentName,
        fromMillis,
        toMillis,
        readFromMillis,
        readToMillis,
        algorithmVersion,
        profiles,
        agents,
        other,
        server);
  }

  /** A copy with other agent keys. */
  public EvidenceBundle withAgents(List<BundledAgent> other) {
    return new EvidenceBundle(
        format,
        exportedAtMillis,
        instrumentId,
        instrumentName,
        fromMillis,
        toMillis,
        readFromMillis,
        readToMillis,
        algorithmVersion,
        profiles,
        other,
        batches,
        server);
  }
}
