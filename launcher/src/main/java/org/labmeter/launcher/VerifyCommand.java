package org.labmeter.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.labmeter.metering.evidence.BundleJson;
import org.labmeter.metering.evidence.BundleReadResult;
import org.labmeter.metering.evidence.BundleVerifier;
import org.labmeter.metering.evidence.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Re-checks an evidence bundle offline: every envelope, signature and chain link, then",
      "re-derives the hours with the bundled profile and compares them with the server's.",
      "Exit status: 0 = MATCH and every check passed, 1 = something is off, 2 = unreadable file."
    })
final class VerifyCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int UNREADABLE = 2;

  @Parameters(index = "0", paramLabel = "BUNDLE", description = "the evidence bundle (.json)")
  Path bundle;

  @Override
  public Integer call() {
    BundleReadResult read = BundleJson.read(bundle);
    if (read instanceof BundleReadResult.Unreadable u) {
      System.err.println("labmeter verify: " + bundle + " is not a readable evidence bundle:");
      System.err.println("  " + u.reason());
      return UNREADABLE;
    }
    VerificationReport report = BundleVerifier.verify(((BundleReadResult.Read) read).bundle());
    System.out.print(report.render());
    return report.passed() ? OK : FAILED;
  }
}
