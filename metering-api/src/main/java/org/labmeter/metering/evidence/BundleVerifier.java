package org.labmeter.metering.evidence;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.ProfileSchedule;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.store.StoredBatch;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/**
 * Re-checks a bundle with nothing but its own content: no network, no database, no trust in the
 * server. Decodes every envelope, verifies every signature with the bundled key of its agent,
 * confirms every chain link, rebuilds the samples the server derived from (verified only where
 * signature and link check out, the collector's rule at ingest) and re-derives with the bundled
 * profile through the same {@link StateDeriver} the API uses.
 */
public final class BundleVerifier {
  private BundleVerifier() {}

  public static VerificationReport verify(EvidenceBundle bundle) {
    List<String> problems = new ArrayList<>();
    Map<String, AgentPublicKey> keys = keys(bundle, problems);

    List<Entry> entries = new ArrayList<>();
    List<BatchCheck> undecodable = new ArrayList<>();
    for (int i = 0; i < bundle.batches().size(); i++) {
      StoredBatch stored = bundle.batches().get(i);
      String failure = null;
      SignedBatch signed = null;
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(stored.envelopeBase64());
        DecodeResult r = BatchCodec.decode(bytes);
        if (r instanceof DecodeResult.Decoded d) {
          signed = d.signedBatch();
          if (!signed.batch().instrumentId().equals(bundle.instrumentId())) {
            failure = "envelope names instrument " + signed.batch().instrumentId();
            signed = null;
          }
        } else if (r instanceof DecodeResult.Malformed m) {
          failure = "envelope does not decode: " + m.reason();
        } else if (r instanceof DecodeResult.UnsupportedVersion v) {
          failure = "envelope has unsupported version " + v.version();
        }
      } catch (IllegalArgumentException e) {
        failure = "envelope is not valid base64";
      }
      if (signed == null) {
        undecodable.add(
            new BatchCheck(
                i,
                stored.agentId(),
                stored.sequence(),
                stored.firstTimestampMillis(),
                stored.lastTimestampMillis(),
                0,
                false,
                false,
                false,
                stored.chainOk(),
                failure));
        continue;
      }
      AgentPublicKey key = keys.get(signed.batch().agentId());
      boolean sigOk = key != null && signed.verify(key);
      String sigProblem =
          sigOk
              ? null
              : key == null
                  ? "no valid public key for agent " + signed.batch().agentId() + " in the bundle"
                  : "signature does not verify with the key of "
                      + signed.batch().agentId()
                      + " ("
                      + key.fingerprint()
                      + ")";
      entries.add(new Entry(i, stored, signed, sigOk, sigProblem, inRange(bundle, signed.batch())));
    }

    Map<String, TreeMap<Long, List<Entry>>> chains = new HashMap<>();
    for (Entry e : entries) {
      chains
          .computeIfAbsent(e.batch().agentId(), k -> new TreeMap<>())
          .computeIfAbsent(e.batch().sequence(), k -> new ArrayList<>())
          .add(e);
    }
    List<ChainGap> gaps = new ArrayList<>();
    List<BatchCheck> checks = new ArrayList<>(undecodable);
    for (Entry e : entries) {
      Link link = link(e, chains.get(e.batch().agentId()));
      String problem = e.sigProblem;
      if (e.samplesInRange > 0 && link.problem != null) {
        problem = problem == null ? link.problem : problem + "; " + link.problem;
        if (link.gap != null && !gaps.contains(link.gap)) {
          gaps.add(link.gap);
        }
      }
      checks.add(
          new BatchCheck(
              e.index,
              e.batch().agentId(),
              e.batch().sequence(),
              e.batch().firstTimestampMillis(),
              e.batch().lastTimestampMillis(),
              e.samplesInRange,
              true,
              e.sigOk,
              link.confirmed,
              e.stored.chainOk(),
              problem));
    }
    checks.sort(Comparator.comparingInt(BatchCheck::index));

    BundledProfile profile = profileAt(bundle);
    if (profile == null) {
      problems.add("the bundle holds no profile version of instrument " + bundle.instrumentId());
      return new VerificationReport(bundle, checks, gaps, problems, null, null, 0);
    }
    Map<Integer, BatchCheck> byIndex = new HashMap<>();
    checks.forEach(c -> byIndex.put(c.index(), c));
    List<Entry> newestFirst = new ArrayList<>(entries);
    // the store keeps the last write of a timestamp; the series keeps the first added
    newestFirst.sort(
        Comparator.comparingLong((Entry e) -> e.stored.receivedAtMillis())
            .thenComparingLong(e -> e.batch().sequence())
            .reversed());
    ObservationSeries.Builder series = ObservationSeries.builder();
    for (Entry e : newestFirst) {
      boolean verified = byIndex.get(e.index).verified();
      for (Sample s : e.batch().samples()) {
        if (s.timestampMillis() >= bundle.readFromMillis()
            && s.timestampMillis() < bundle.readToMillis()) {
          double power = Double.isFinite(s.powerW()) ? s.powerW() : Double.NaN;
          series.add(s.timestampMillis(), power, s.runFlag(), s.quality(), verified);
        }
      }
    }
    ObservationSeries built = series.build();
    Usage offline =
        StateDeriver.derive(schedule(bundle), built, bundle.fromMillis(), bundle.toMillis());
    return new VerificationReport(bundle, checks, gaps, problems, profile, offline, built.size());
  }

  private static Map<String, AgentPublicKey> keys(EvidenceBundle bundle, List<String> problems) {
    Map<String, AgentPublicKey> keys = new HashMap<>();
    for (BundledAgent a : bundle.agents()) {
      try {
        keys.put(a.id(), AgentPublicKey.ofBase64(a.publicKeyBase64()));
      } catch (IllegalArgumentException e) {
        problems.add("agent " + a.id() + ": bundled public key is not a valid Ed25519 key");
      }
    }
    return keys;
  }

  private static int inRange(EvidenceBundle bundle, Batch batch) {
    int n = 0;
    for (Sample s : batch.samples()) {
      if (s.timestampMillis() >= bundle.readFromMillis()
          && s.timestampMillis() < bundle.readToMillis()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Every bundled profile version with its start, so a window that crosses a profile change is
   * derived exactly as the server derives it, each version over its own part.
   */
  static ProfileSchedule schedule(EvidenceBundle bundle) {
    List<ProfileSchedule.Version> versions = new ArrayList<>();
    for (BundledProfile p : bundle.profiles()) {
      versions.add(new ProfileSchedule.Version(p.version(), p.validFromMillis(), p.profile()));
    }
    return new ProfileSchedule(versions);
  }

  /** The profile version in force at the window's start, by the registry's rule. */
  static BundledProfile profileAt(EvidenceBundle bundle) {
    BundledProfile found = null;
    List<BundledProfile> byVersion = new ArrayList<>(bundle.profiles());
    byVersion.sort(Comparator.comparingInt(BundledProfile::version));
    for (BundledProfile p : byVersion) {
      if (p.validFromMillis() <= bundle.fromMillis() || found == null) {
        found = p;
      }
    }
    return found;
  }

  private record Link(boolean confirmed, String problem, ChainGap gap) {}

  private static Link link(Entry e, TreeMap<Long, List<Entry>> chain) {
    Batch b = e.batch();
    long seq = b.sequence();
    if (seq == 0) {
      return b.previousHash().isZero()
          ? new Link(true, null, null)
          : new Link(false, "sequence 0 names a non-zero previous hash", null);
    }
    List<Entry> previous = chain.getOrDefault(seq - 1, List.of());
    if (previous.isEmpty()) {
      Map.Entry<Long, List<Entry>> below = chain.lowerEntry(seq);
      long first = below == null ? seq - 1 : below.getKey() + 1;
      long after = below == null ? -1 : below.getValue().get(0).batch().lastTimestampMillis();
      ChainGap gap = new ChainGap(b.agentId(), first, seq - 1, after, b.firstTimestampMillis());
      return new Link(false, "chain gap: " + gap.sequences() + " missing", gap);
    }
    boolean hashFound = false;
    for (Entry p : previous) {
      if (p.signed.hash().equals(b.previousHash())) {
        if (p.sigOk) {
          return new Link(true, null, null);
        }
        hashFound = true;
      }
    }
    return new Link(
        false,
        hashFound
            ? "links to #" + (seq - 1) + ", whose signature does not verify"
            : "previous hash does not match the hash of #" + (seq - 1),
        null);
  }

  private static final class Entry {
    final int index;
    final StoredBatch stored;
    final SignedBatch signed;
    final boolean sigOk;
    final String sigProblem;
    final int samplesInRange;

    Entry(
        int index,
        StoredBatch stored,
        SignedBatch signed,
        boolean sigOk,
        String sigProblem,
        int samplesInRange) {
      this.index = index;
      this.stored = stored;
      this.signed = signed;
      this.sigOk = sigOk;
      this.sigProblem = sigProblem;
      this.samplesInRange = samplesInRange;
    }

    Batch batch() {
      return signed.batch();
    }
  }
}
