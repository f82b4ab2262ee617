package org.labmeter.metering.evidence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.labmeter.metering.derive.ProfileSpan;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.Usage;
import org.labmeter.wire.AgentPublicKey;

/** Renders a {@link VerificationReport} as plain text for a person at a terminal. */
final class ReportText {
  private static final int MAX_PROBLEMS = 50;

  private ReportText() {}

  static String render(VerificationReport r) {
    EvidenceBundle b = r.bundle();
    StringBuilder out = new StringBuilder();
    out.append("LabMeter evidence bundle (").append(b.format()).append(")\n");
    line(out, "instrument", b.instrumentId() + " (" + b.instrumentName() + ")");
    line(out, "window", iso(b.fromMillis()) + " .. " + iso(b.toMillis()));
    line(out, "samples read", iso(b.readFromMillis()) + " .. " + iso(b.readToMillis()));
    line(out, "algorithm", b.algorithmVersion());
    if (r.offline() != null && r.offline().profiles().size() > 1) {
      // the window crosses a profile change: each version over its own part
      for (ProfileSpan span : r.offline().profiles()) {
        line(
            out,
            "profile",
            "version "
                + span.version()
                + " over "
                + iso(span.fromMillis())
                + " .. "
                + iso(span.toMillis())
                + ", parameter hash "
                + span.parameterHash());
      }
    } else if (r.profile() != null) {
      line(
          out,
          "profile",
          "version "
              + r.profile().version()
              + ", parameter hash "
              + r.profile().profile().parameterHash());
    }
    line(out, "exported at", iso(b.exportedAtMillis()));

    out.append("\nChecks\n");
    for (BundledAgent a : b.agents()) {
      List<BatchCheck> mine = r.checks().stream().filter(c -> c.agentId().equals(a.id())).toList();
      long min = mine.stream().mapToLong(BatchCheck::sequence).min().orElse(-1);
      long max = mine.stream().mapToLong(BatchCheck::sequence).max().orElse(-1);
      line(
          out,
          "agent " + a.id(),
          fingerprint(a)
              + ", "
              + mine.size()
              + " batches"
              + (mine.isEmpty() ? "" : ", sequences " + min + ".." + max));
    }
    List<BatchCheck> used = r.checks().stream().filter(c -> c.samplesInRange() > 0).toList();
    line(out, "envelopes decoded", count(r.checks(), BatchCheck::decoded));
    line(out, "signatures valid", count(r.checks(), BatchCheck::signatureValid));
    line(
        out,
        "chain links confirmed",
        count(used, BatchCheck::linkConfirmed)
            + " (of the batches with samples in range; "
            + (r.checks().size() - used.size())
            + " bundled only to confirm a first link)");
    line(out, "chain gaps", r.gaps().isEmpty() ? "none" : String.valueOf(r.gaps().size()));

    List<BatchCheck> failed = r.failedChecks();
    if (!r.problems().isEmpty() || !failed.isEmpty() || !r.gaps().isEmpty()) {
      out.append("\nProblems\n");
      r.problems().forEach(p -> out.append("  ").append(p).append('\n'));
      for (ChainGap g : r.gaps()) {
        out.append("  chain ")
            .append(g.agentId())
            .append(": ")
            .append(g.sequences())
            .append(" missing, samples between ")
            .append(g.afterMillis() < 0 ? "(unknown)" : iso(g.afterMillis()))
            .append(" and ")
            .append(iso(g.beforeMillis()))
            .append(" are not in the bundle\n");
      }
      for (BatchCheck c : failed.subList(0, Math.min(MAX_PROBLEMS, failed.size()))) {
        out.append("  batch ")
            .append(c.label())
            .append(" (samples ")
            .append(iso(c.firstTimestampMillis()))
            .append(" .. ")
            .append(iso(c.lastTimestampMillis()))
            .append("): ")
            .append(c.problem())
            .append('\n');
      }
      if (failed.size() > MAX_PROBLEMS) {
        out.append("  ... and ").append(failed.size() - MAX_PROBLEMS).append(" more batches\n");
      }
    }

    out.append("\nNumbers\n");
    out.append(String.format(Locale.ROOT, "  %-22s %24s %24s%n", "", "server", "offline"));
    Usage s = b.server().usage();
    Usage o = r.offline();
    Map<String, String[]> rows = new LinkedHashMap<>();
    rows.put(
        "samples read",
        new String[] {
          String.valueOf(b.server().samplesRead()),
          o == null ? "-" : String.valueOf(r.offlineSamples())
        });
    for (RunState st : RunState.values()) {
      rows.put(
          st.name() + " h",
          new String[] {
            hours(s.durations().millis(st)), o == null ? "-" : hours(o.durations().millis(st))
          });
    }
    rows.put(
        "verified ACTIVE h",
        new String[] {
          hours(s.verifiedActiveMillis()), o == null ? "-" : hours(o.verifiedActiveMillis())
        });
    rows.put(
        "coverage", new String[] {percent(s.coverage()), o == null ? "-" : percent(o.coverage())});
    rows.put(
        "sessions",
        new String[] {
          String.valueOf(s.sessions().size()), o == null ? "-" : String.valueOf(o.sessions().size())
        });
    rows.put(
        "evidence gaps",
        new String[] {
          String.valueOf(s.evidenceGaps().size()),
          o == null ? "-" : String.valueOf(o.evidenceGaps().size())
        });
    rows.forEach(
        (k, v) -> out.append(String.format(Locale.ROOT, "  %-22s %24s %24s%n", k, v[0], v[1])));

    List<Difference> differences = r.differences();
    if (!differences.isEmpty()) {
      out.append("\nDifferences\n");
      differences.forEach(d -> out.append("  ").append(d).append('\n'));
    }
    out.append('\n');
    if (o == null) {
      out.append("Result: NOT DERIVED - the bundle cannot be re-derived\n");
    } else if (r.passed()) {
      out.append("Result: MATCH - every check passed and the numbers equal the server's\n");
    } else if (r.match()) {
      out.append("Result: MATCH, but ")
          .append(failed.size() + r.gaps().size() + r.problems().size())
          .append(" checks failed (listed above)\n");
    } else {
      out.append("Result: MISMATCH - ")
          .append(differences.size())
          .append(" differences (listed above)\n");
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String name, String value) {
    out.append(String.format(Locale.ROOT, "  %-22s %s%n", name, value));
  }

  private static String count(
      List<BatchCheck> checks, java.util.function.Predicate<BatchCheck> ok) {
    return checks.stream().filter(ok).count() + " of " + checks.size();
  }

  private static String fingerprint(BundledAgent a) {
    try {
      return "key " + AgentPublicKey.ofBase64(a.publicKeyBase64()).fingerprint();
    } catch (IllegalArgumentException e) {
      return "key (invalid)";
    }
  }

  private static String hours(long millis) {
    return String.format(Locale.ROOT, "%.4f (%d ms)", millis / 3_600_000.0, millis);
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.4f %%", share * 100);
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
