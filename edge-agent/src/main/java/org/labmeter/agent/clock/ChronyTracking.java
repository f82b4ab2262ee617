package org.labmeter.agent.clock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Reads the offset the system's chrony daemon keeps: {@code chronyc -c tracking} prints one CSV
 * line whose fifth field is the system time error in seconds, positive when the system clock is
 * slow of NTP time (the amount chrony still has to add), and whose last field is the leap status.
 */
public final class ChronyTracking {
  private static final int SYSTEM_TIME_FIELD = 4;

  private final Path chronyc;

  public ChronyTracking(Path chronyc) {
    this.chronyc = chronyc;
  }

  /** Runs {@code chronyc -c tracking}; blocks for at most {@code timeoutMillis}. */
  public OffsetMeasurement read(int timeoutMillis) {
    String source = chronyc.toString();
    Process process;
    try {
      process =
          new ProcessBuilder(chronyc.toString(), "-c", "tracking")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      return new OffsetMeasurement.Failed(source, "cannot run: " + e.getMessage());
    }
    try {
      if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new OffsetMeasurement.Failed(source, "no answer within " + timeoutMillis + " ms");
      }
      String out =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        return new OffsetMeasurement.Failed(source, "exit " + process.exitValue() + ": " + out);
      }
      return parse(source, out);
    } catch (IOException e) {
      return new OffsetMeasurement.Failed(source, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new OffsetMeasurement.Failed(source, "interrupted");
    }
  }

  static OffsetMeasurement parse(String source, String csvLine) {
    String[] fields = csvLine.lines().findFirst().orElse("").split(",");
    if (fields.length < 14) {
      return new OffsetMeasurement.Failed(source, "unexpected output: " + csvLine);
    }
    String leap = fields[fields.length - 1].strip();
    if (leap.equalsIgnoreCase("Not synchronised")) {
      return new OffsetMeasurement.Failed(source, "chrony is not synchronised");
    }
    try {
      double seconds = Double.parseDouble(fields[SYSTEM_TIME_FIELD].strip());
      return new OffsetMeasurement.Measured(Math.round(seconds * 1000), source);
    } catch (NumberFormatException e) {
      return new OffsetMeasurement.Failed(source, "no system time in: " + csvLine);
    }
  }
}
