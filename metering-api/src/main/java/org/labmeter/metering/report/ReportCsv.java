package org.labmeter.metering.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The period report as CSV: one row per instrument (and a facility total), hours to two decimals,
 * rates to four. Headers in English or in the indicator names evaluators use.
 */
public final class ReportCsv {
  static final List<String> EN =
      List.of(
          "instrument_id",
          "instrument_name",
          "period",
          "effective_hours",
          "external_hours",
          "sharing_rate",
          "utilisation",
          "quota_hours",
          "coverage",
          "active_hours",
          "unbooked_hours",
          "voucher_hours",
          "no_shows",
          "overruns",
          "ledger_days",
          "period_days",
          "snapshot_version");

  static final List<String> ZH =
      List.of(
          "仪器编号", "仪器名称", "评价期", "有效工作机时", "对外服务机时", "共享率", "利用率", "定额机时", "证据覆盖率", "运行机时",
          "无预约运行机时", "创新券机时", "爽约次数", "超时次数", "账本天数", "评价期天数", "快照版本");

  private ReportCsv() {}

  public static byte[] write(List<InstrumentReport> rows, ReportLanguage lang) {
    Csv csv = new Csv().row(lang == ReportLanguage.ZH ? ZH : EN);
    for (InstrumentReport r : rows) {
      List<String> cells = new ArrayList<>();
      cells.add(r.instrumentId());
      cells.add(lang == ReportLanguage.ZH && r.nameZh() != null ? r.nameZh() : r.name());
      cells.add(r.periodId());
      cells.add(hours(r.totals().effectiveMs(), 2));
      cells.add(hours(r.totals().externalMs(), 2));
      cells.add(decimal(r.sharingRate(), 4));
      cells.add(decimal(r.utilisation(), 4));
      cells.add(decimal(r.quotaHours(), 2));
      cells.add(decimal(r.coverage(), 4));
      cells.add(hours(r.totals().activeMs(), 2));
      cells.add(hours(r.totals().unbookedMs(), 2));
      cells.add(hours(r.totals().voucherMs(), 2));
      cells.add(Long.toString(r.totals().noShows()));
      cells.add(Long.toString(r.totals().overruns()));
      cells.add(Long.toString(r.ledgerDays()));
      cells.add(Long.toString(r.periodDays()));
      cells.add(Integer.toString(r.snapshotVersion()));
      csv.row(cells);
    }
    return csv.bytes();
  }

  /** Exact milliseconds to hours, half-up at {@code scale} decimals. */
  static String hours(long millis, int scale) {
    return BigDecimal.valueOf(millis)
        .divide(BigDecimal.valueOf(3_600_000L), scale, RoundingMode.HALF_UP)
        .toPlainString();
  }

  static String decimal(double v, int scale) {
    return BigDecimal.valueOf(v).setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }
}
