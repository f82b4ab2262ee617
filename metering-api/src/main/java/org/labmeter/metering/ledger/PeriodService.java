package org.labmeter.metering.ledger;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.labmeter.metering.ledger.PeriodException.Kind;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.wire.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, closes and corrects evaluation periods. Closing freezes the ledger rows of every
 * registered instrument into snapshot version 1; a correction recomputes the period's days and
 * stores them as the next version with a reason and an author. Blocks on JDBC; call from a worker.
 */
public final class PeriodService {
  private static final Logger log = LoggerFactory.getLogger(PeriodService.class);

  private final Registry registry;
  private final LedgerService ledger;
  private final PeriodRepository periods;
  private final Clock clock;

  public PeriodService(Registry registry, LedgerService ledger, Clock clock) {
    this.registry = registry;
    this.ledger = ledger;
    this.periods = new PeriodRepository(registry.dataSource());
    this.clock = clock;
  }

  public PeriodRepository repository() {
    return periods;
  }

  public List<EvaluationPeriod> all() {
    return periods.all();
  }

  public EvaluationPeriod find(String id) {
    return periods
        .find(id)
        .orElseThrow(
            () -> new PeriodException(Kind.NOT_FOUND, "id", "no period with id '" + id + "'"));
  }

  /** Stores a new OPEN period of whole UTC days [from, to]. */
  public EvaluationPeriod create(String id, String name, LocalDate from, LocalDate to) {
    if (id == null || !Ids.isValid(id)) {
      throw new PeriodException(
          Kind.INVALID, "id", "period id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new PeriodException(Kind.INVALID, "name", "name must be 1..200 characters");
    }
    if (from == null || to == null || to.isBefore(from)) {
      throw new PeriodException(
          Kind.INVALID, "to", "from and to must be dates (YYYY-MM-DD) with to not before from");
    }
    if (from.plusDays(LedgerService.MAX_DAYS).isBefore(to)) {
      throw new PeriodException(
          Kind.INVALID, "to", "a period may span at most " + LedgerService.MAX_DAYS + " days");
    }
    EvaluationPeriod p =
        new EvaluationPeriod(id, name, from, to, EvaluationPeriod.Status.OPEN, clock.instant());
    if (!periods.insert(p)) {
      throw new PeriodException(Kind.CONFLICT, "id", "a period with id '" + id + "' exists");
    }
    log.info("period {} ({} .. {}) created", id, from, to);
    return p;
  }

  /**
   * Closes an OPEN period: days missing from the ledger are computed first, then every instrument's
   * rows are written as snapshot version 1.
   */
  public Snapshot close(String id, String author) {
    EvaluationPeriod p = find(id);
    if (p.status() != EvaluationPeriod.Status.OPEN) {
      throw new PeriodException(
          Kind.CONFLICT, "id", "period '" + id + "' is closed; send a correction instead");
    }
    List<LedgerDay> rows = new ArrayList<>();
    for (Instrument i : registry.instruments()) {
      List<LedgerDay> stored = ledger.repository().days(i.id(), p.from(), p.to());
      Set<LocalDate> have = new HashSet<>();
      stored.forEach(d -> have.add(d.date()));
      for (LocalDate d = p.from(); !d.isAfter(p.to()); d = d.plusDays(1)) {
        if (!have.contains(d)) {
          ledger.recompute(i.id(), d);
        }
      }
      rows.addAll(ledger.repository().days(i.id(), p.from(), p.to()));
    }
    return write(p, 1, "period closed", author, rows);
  }

  /**
   * Recomputes every day of a CLOSED period from the data now stored and writes it as the next
   * snapshot version; earlier versions stay as they are.
   */
  public Snapshot correct(String id, String reason, String author) {
    if (reason == null || reason.isBlank()) {
      throw new PeriodException(Kind.INVALID, "reason", "a correction needs a reason");
    }
    EvaluationPeriod p = find(id);
    if (p.status() != EvaluationPeriod.Status.CLOSED) {
      throw new PeriodException(
          Kind.CONFLICT, "id", "period '" + id + "' is open; its reports follow the ledger");
    }
    List<LedgerDay> rows = new ArrayList<>();
    for (Instrument i : registry.instruments()) {
      rows.addAll(ledger.recomputeRange(i.id(), p.from(), p.to()));
    }
    int next = periods.snapshotHeaders(id).size() + 1;
    return write(p, next, reason, author, rows);
  }

  private Snapshot write(
      EvaluationPeriod p, int version, String reason, String author, List<LedgerDay> rows) {
    if (author == null || author.isBlank() || author.length() > 200) {
      throw new PeriodException(Kind.INVALID, "author", "author must be 1..200 characters");
    }
    Snapshot s =
        new Snapshot(
            p.id(),
            version,
            reason,
            author,
            clock.instant(),
            Snapshot.hashOf(p.id(), version, rows),
            rows);
    periods.insertSnapshot(s);
    log.info(
        "period {} snapshot version {} written by {}: {} ledger rows, hash {}",
        p.id(),
        version,
        author,
        rows.size(),
        s.hash());
    return s;
  }
}
