package org.labmeter.metering.evidence;

import java.util.List;
import org.labmeter.metering.derive.Usage;

/**
 * The verifier's findings for one bundle: per-batch checks, chain gaps, bundle-level problems, and
 * the offline result beside the server's.
 *
 * @param problems bundle-level problems (a damaged key, no profile)
 * @param profile the profile version used, or null when the bundle has none
 * @param offline the re-derived result, or null when it could not be derived
 * @param offlineSamples how many samples the offline derivation read
 */
public record VerificationReport(
    EvidenceBundle bundle,
    List<BatchCheck> checks,
    List<ChainGap> gaps,
    List<String> problems,
    BundledProfile profile,
    Usage offline,
    int offlineSamples) {

  public VerificationReport {
    checks = List.copyOf(checks);
    gaps = List.copyOf(gaps);
    problems = List.copyOf(problems);
  }

  /** The batches with a problem that matters: every failed signature, and every broken link. */
  public List<BatchCheck> failedChecks() {
    return checks.stream().filter(c -> c.problem() != null).toList();
  }

  /** Every envelope decoded and verified, every link confirmed, no gap, no bundle problem. */
  public boolean checksPassed() {
    return problems.isEmpty() && gaps.isEmpty() && failedChecks().isEmpty();
  }

  /** Where the offline numbers differ from the server's; empty on a match. */
  public List<Difference> differences() {
    return offline == null ? List.of() : UsageComparison.differences(this);
  }

  /** The offline result equals the server's, number for number. */
  public boolean match() {
    return offline != null && differences().isEmpty();
  }

  /** Everything checks out and the numbers match: the server's number is reproduced. */
  public boolean passed() {
    return checksPassed() && match();
  }

  /** The report as a person reads it. */
  public String render() {
    return ReportText.render(this);
  }
}
