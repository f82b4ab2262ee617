package org.labmeter.metering.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * An evaluation window: the national calendar year, Shanghai's 1 July – 30 June, a two-year window
 * under the rules in force from 2026, or any other span of whole UTC days.
 *
 * @param from first day included
 * @param to last day included
 */
public record EvaluationPeriod(
    String id, String name, LocalDate from, LocalDate to, Status status, Instant createdAt) {

  /** OPEN periods follow the ledger; a CLOSED one is read from its newest snapshot. */
  public enum Status {
    OPEN,
    CLOSED
  }

  public EvaluationPeriod {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException(
          "period " + id + ": to (" + to + ") must not be before from (" + from + ")");
    }
  }

  /** 1 January – 31 December, the national period. */
  public static EvaluationPeriod calendarYear(int year, Instant createdAt) {
    return new EvaluationPeriod(
        "y" + year,
        year + " calendar year",
        LocalDate.of(year, 1, 1),
        LocalDate.of(year, 12, 31),
        Status.OPEN,
        createdAt);
  }

  /** 1 July of {@code startYear} – 30 June of the next year. */
  public static EvaluationPeriod julyToJune(int startYear, Instant createdAt) {
    return new EvaluationPeriod(
        "jj" + startYear,
        startYear + "-07-01 to " + (startYear + 1) + "-06-30",
        LocalDate.of(startYear, 7, 1),
        LocalDate.of(startYear + 1, 6, 30),
        Status.OPEN,
        createdAt);
  }

  /** 1 January of {@code startYear} – 31 December of the next year. */
  public static EvaluationPeriod twoYears(int startYear, Instant createdAt) {
    return new EvaluationPeriod(
        "y" + startYear + "-" + (startYear + 1),
        startYear + "–" + (startYear + 1) + " two-year window",
        LocalDate.of(startYear, 1, 1),
        LocalDate.of(startYear + 1, 12, 31),
        Status.OPEN,
        createdAt);
  }

  public boolean contains(LocalDate day) {
    return !day.isBefore(from) && !day.isAfter(to);
  }

  /** Number of days, both ends included. */
  public long days() {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  public EvaluationPeriod withStatus(Status s) {
    return new EvaluationPeriod(id, name, from, to, s, createdAt);
  }
}
