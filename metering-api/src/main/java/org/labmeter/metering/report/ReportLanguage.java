package org.labmeter.metering.report;

import java.util.Locale;
import java.util.Optional;

/** Header language of CSV exports. */
public enum ReportLanguage {
  EN,
  ZH;

  /** {@code en} or {@code zh} (any case), or empty for anything else. */
  public static Optional<ReportLanguage> parse(String s) {
    if (s == null) {
      return Optional.empty();
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "en" -> Optional.of(EN);
      case "zh" -> Optional.of(ZH);
      default -> Optional.empty();
    };
  }
}
