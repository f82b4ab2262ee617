package org.labmeter.metering.sessions;

import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.labmeter.metering.attribution.SessionParseResult;
import org.labmeter.metering.attribution.SessionParseResult.FieldError;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.attribution.UsageSessionParser;
import org.labmeter.metering.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports one file of usage sessions for one instrument: all rows or none. Each row is read by
 * {@link UsageSessionParser}; on top of that an import refuses an end that is not after the start,
 * texts longer than their columns, a negative fee or one with more than two decimals, and session
 * ids that repeat in the file or are already stored for the instrument. Every bad field of every
 * row is reported. Overlaps with sessions of the same kind are stored and reported as warnings,
 * because a double booking is a fact for staff to look at, not a broken file. Blocks on JDBC.
 */
public final class SessionImporter {
  private static final Logger log = LoggerFactory.getLogger(SessionImporter.class);

  /** Longest accepted source label. */
  static final int MAX_SOURCE = 200;

  private static final Map<String, Integer> MAX_LENGTH =
      Map.of("id", 128, "user", 200, "userEntityId", 128, "funding", 200, "voucherId", 128);

  /** NUMERIC(18, 2): sixteen digits before the point, two after. */
  private static final BigDecimal MAX_FEE = new BigDecimal("1e16");

  private final Registry registry;
  private final SessionRepository sessions;
  private final Clock clock;
  private final MeterRegistry metrics;

  public SessionImporter(
      Registry registry, SessionRepository sessions, Clock clock, MeterRegistry metrics) {
    this.registry = registry;
    this.sessions = sessions;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Reads, checks and stores one file.
   *
   * @param declaredCharset the Content-Type's charset parameter, or null to detect (see {@link
   *     TextDecoder})
   * @param source a label stored with every session, or null for {@code import:csv} / {@code
   *     import:json}
   */
  public ImportResult importFile(
      String instrumentId,
      ImportFormat format,
      byte[] body,
      String declaredCharset,
      String source) {
    ImportResult result = run(instrumentId, format, body, declaredCharset, source);
    if (result instanceof ImportResult.Imported ok) {
      metrics.counter("labmeter.sessions.imported").increment(ok.imported());
      log.info(
          "imported {} sessions for instrument {} from {} ({}), {} overlap warnings",
          ok.imported(),
          instrumentId,
          ok.source(),
          ok.encoding(),
          ok.warnings().size());
    } else {
      String reason = result.getClass().getSimpleName().toLowerCase(Locale.ROOT);
      metrics.counter("labmeter.sessions.import.refused", "reason", reason).increment();
      log.info("session import for instrument {} refused: {}", instrumentId, summary(result));
    }
    return result;
  }

  private ImportResult run(
      String instrumentId,
      ImportFormat format,
      byte[] body,
      String declaredCharset,
      String source) {
    String label =
        source == null || source.isBlank()
            ? "import:" + format.name().toLowerCase(Locale.ROOT)
            : source.strip();
    if (label.length() > MAX_SOURCE) {
      return new ImportResult.Unreadable(
          "source", "source must be at most " + MAX_SOURCE + " characters");
    }
    if (registry.instrument(instrumentId).isEmpty()) {
      return new ImportResult.UnknownInstrument(instrumentId);
    }
    SessionFileReader.Content content;
    try {
      content = SessionFileReader.read(format, body, declaredCharset);
    } catch (ImportFileException e) {
      return new ImportResult.Unreadable(e.field(), e.getMessage());
    }
    List<ImportRow> rows = content.rows();
    if (rows.isEmpty()) {
      return new ImportResult.Unreadable("body", "the file holds no session rows");
    }
    List<RowError> errors = new ArrayList<>(content.errors());
    Set<Integer> wholeRowErrors = new HashSet<>();
    for (RowError e : content.errors()) {
      if (e.field() == null) {
        wholeRowErrors.add(e.row());
      }
    }
    List<NewSession> parsed = new ArrayList<>();
    for (ImportRow row : rows) {
      if (wholeRowErrors.contains(row.row())) {
        continue;
      }
      String rawId = rawId(row);
      SessionParseResult r = UsageSessionParser.parse(row.row(), row.fields());
      if (r instanceof SessionParseResult.Rejected rejected) {
        for (FieldError f : rejected.errors()) {
          errors.add(new RowError(row.row(), row.line(), rawId, f.field(), f.value(), f.message()));
        }
      } else if (r instanceof SessionParseResult.Parsed p) {
        List<RowError> extra = check(row, p.session());
        errors.addAll(extra);
        if (extra.isEmpty()) {
          parsed.add(new NewSession(row, p.session()));
        }
      }
    }
    errors.addAll(duplicates(instrumentId, rows));
    if (!errors.isEmpty()) {
      errors.sort(Comparator.comparingInt(RowError::row));
      Set<Integer> bad = new HashSet<>();
      errors.forEach(e -> bad.add(e.row()));
      return new ImportResult.Invalid(rows.size(), bad.size(), errors);
    }
    List<ImportWarning> warnings = SameKindOverlaps.find(parsed, stored(instrumentId, parsed));
    List<UsageSession> toStore = parsed.stream().map(NewSession::session).toList();
    try {
      sessions.insertAll(instrumentId, toStore, label, Instant.now(clock));
    } catch (SessionStoreException e) {
      if (e.duplicateKey()) {
        return new ImportResult.Conflict(
            "another import stored one of these session ids at the same time; nothing of this"
                + " file was stored, send it again to see which rows repeat");
      }
      throw e;
    }
    return new ImportResult.Imported(
        instrumentId,
        toStore.size(),
        sessions.count(instrumentId),
        content.charset().name(),
        label,
        warnings);
  }

  private static String summary(ImportResult result) {
    if (result instanceof ImportResult.Invalid bad) {
      return bad.badRows()
          + " of "
          + bad.rowsRead()
          + " rows invalid, "
          + bad.errors().size()
          + " field errors";
    }
    return result.toString();
  }

  /** A row that parsed and passed the import's own checks. */
  record NewSession(ImportRow row, UsageSession session) {}

  private static String rawId(ImportRow row) {
    String id = row.fields().get("id");
    return id == null || id.isBlank() ? null : id.strip();
  }

  private static List<RowError> check(ImportRow row, UsageSession s) {
    List<RowError> out = new ArrayList<>();
    if (s.endMillis() <= s.startMillis()) {
      out.add(
          error(
              row,
              s.id(),
              "end",
              row.fields().get("end"),
              "end ("
                  + Instant.ofEpochMilli(s.endMillis())
                  + ") must be after start ("
                  + Instant.ofEpochMilli(s.startMillis())
                  + ")"));
    }
    for (Map.Entry<String, Integer> limit : MAX_LENGTH.entrySet()) {
      String v = row.fields().get(limit.getKey());
      if (v != null && v.strip().length() > limit.getValue()) {
        out.add(
            error(
                row,
                s.id(),
                limit.getKey(),
                v,
                "must be at most "
                    + limit.getValue()
                    + " characters, found "
                    + v.strip().length()));
      }
    }
    BigDecimal fee = s.fee();
    if (fee.signum() < 0 || fee.stripTrailingZeros().scale() > 2 || fee.compareTo(MAX_FEE) >= 0) {
      out.add(
          error(
              row,
              s.id(),
              "fee",
              row.fields().get("fee"),
              "must be zero or positive, below 10^16, with at most two decimals (fen)"));
    }
    return out;
  }

  private static RowError error(
      ImportRow row, String id, String field, String value, String problem) {
    return new RowError(
        row.row(),
        row.line(),
        id,
        field,
        value,
        "session row " + row.row() + ": field " + field + ": " + problem);
  }

  /** Ids that repeat inside the file, and ids already stored for the instrument. */
  private List<RowError> duplicates(String instrumentId, List<ImportRow> rows) {
    List<RowError> out = new ArrayList<>();
    Map<String, Integer> firstRow = new HashMap<>();
    Set<String> ids = new LinkedHashSet<>();
    for (ImportRow row : rows) {
      String id = rawId(row);
      if (id == null || id.length() > MAX_LENGTH.get("id")) {
        continue;
      }
      Integer first = firstRow.putIfAbsent(id, row.row());
      if (first != null) {
        out.add(
            error(row, id, "id", id, "session id '" + id + "' already appears in row " + first));
      }
      ids.add(id);
    }
    Set<String> stored = sessions.existingIds(instrumentId, ids);
    for (ImportRow row : rows) {
      String id = rawId(row);
      if (id != null && stored.contains(id) && firstRow.get(id) == row.row()) {
        out.add(
            error(
                row,
                id,
                "id",
                id,
                "session id '"
                    + id
                    + "' is already stored for instrument "
                    + instrumentId
                    + " by an earlier import"));
      }
    }
    return out;
  }

  private List<StoredSession> stored(String instrumentId, List<NewSession> parsed) {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (NewSession n : parsed) {
      from = Math.min(from, n.session().startMillis());
      to = Math.max(to, n.session().endMillis());
    }
    return sessions.inWindow(instrumentId, from, to);
  }
}
