package org.labmeter.metering.report;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.attribution.Grade;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerSession;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.sessions.StoredSession;

/**
 * Service records for the national platform: one row per session the ledger attributed in the
 * period, hours from the ledger's per-session rows, applicant fields from the stored session.
 * Blocks on JDBC.
 */
public final class ServiceRecordExport {
  static final List<String> EN =
      List.of(
          "record_id",
          "applicant",
          "applicant_unit",
          "user_type",
          "service_way",
          "direction",
          "end_time",
          "service_hours",
          "effective_hours",
          "funding",
          "fee",
          "voucher_id",
          "grade");

  static final List<String> ZH =
      List.of(
          "记录编号", "申请人", "申请人单位", "用户类型", "服务方式", "服务方向", "结束时间", "服务机时", "有效机时", "经费来源", "收费金额",
          "创新券编号", "可信等级");

  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00");

  private final LedgerRepository ledger;
  private final SessionRepository sessions;

  public ServiceRecordExport(LedgerRepository ledger, SessionRepository sessions) {
    this.ledger = ledger;
    this.sessions = sessions;
  }

  /** The records of an instrument over a period, by session start. */
  public List<ServiceRecord> records(Instrument i, EvaluationPeriod p) {
    Map<String, long[]> byId = new LinkedHashMap<>();
    Map<String, Grade> grades = new LinkedHashMap<>();
    for (LedgerSession s : ledger.sessions(i.id(), p.from(), p.to())) {
      long[] sum = byId.computeIfAbsent(s.sessionId(), k -> new long[2]);
      sum[0] += s.effectiveMs();
      sum[1] += s.externalMs();
      grades.merge(s.sessionId(), s.grade(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
    long from = p.from().atStartOfDay(ZoneId.of("UTC")).toInstant().toEpochMilli();
    long to = p.to().plusDays(1).atStartOfDay(ZoneId.of("UTC")).toInstant().toEpochMilli();
    List<ServiceRecord> out = new ArrayList<>();
    for (StoredSession stored : sessions.inWindow(i.id(), from, to)) {
      UsageSession s = stored.session();
      long[] sum = byId.get(s.id());
      if (sum != null) {
        boolean external = !s.userEntityId().equals(i.facilityId());
        out.add(new ServiceRecord(s, external, sum[0], sum[1], grades.get(s.id())));
      }
    }
    return out;
  }

  /** CSV with BOM; end times at hour resolution in {@code zone}. */
  public static byte[] csv(List<ServiceRecord> records, ReportLanguage lang, ZoneId zone) {
    boolean zh = lang == ReportLanguage.ZH;
    Csv csv = new Csv().row(zh ? ZH : EN);
    for (ServiceRecord r : records) {
      UsageSession s = r.session();
      csv.row(
          List.of(
              s.id(),
              s.user(),
              s.userEntityId(),
              Integer.toString(r.userTypeCode()),
              zh ? s.serviceWay().label() : s.serviceWay().name(),
              zh ? s.direction().label() : s.direction().name(),
              HOUR.format(r.endHour().atZone(zone)),
              r.serviceHours().toPlainString(),
              r.effectiveHours().toPlainString(),
              s.funding(),
              s.fee().toPlainString(),
              s.voucherId() == null ? "" : s.voucherId(),
              r.grade().name()));
    }
    return csv.bytes();
  }
}
