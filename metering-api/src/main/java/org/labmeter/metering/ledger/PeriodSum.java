package org.labmeter.metering.ledger;

/**
 * One instrument's ledger rows of a period, summed by the database.
 *
 * @param days the number of rows summed
 * @param totals their field-by-field sum
 */
public record PeriodSum(long days, LedgerTotals totals) {
  public static final PeriodSum NONE = new PeriodSum(0, LedgerTotals.ZERO);
}
