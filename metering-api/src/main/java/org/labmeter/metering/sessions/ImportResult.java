package org.labmeter.metering.sessions;

import java.util.List;

/** What became of one import: all of its sessions stored, or none and why. */
public sealed interface ImportResult {

  /**
   * Every session was stored.
   *
   * @param imported sessions stored by this import
   * @param storedTotal sessions now stored for the instrument
   * @param encoding the charset the file was read in
   * @param warnings overlaps of the same kind, kept and reported
   */
  record Imported(
      String instrumentId,
      int imported,
      long storedTotal,
      String encoding,
      String source,
      List<ImportWarning> warnings)
      implements ImportResult {
    public Imported {
      warnings = List.copyOf(warnings);
    }
  }

  /** No instrument has the id; nothing was read. */
  record UnknownInstrument(String instrumentId) implements ImportResult {}

  /**
   * The body could not be read as a session file (encoding, CSV quoting, JSON syntax, header, no
   * rows); nothing was stored.
   *
   * @param field {@code body}, {@code charset}, {@code header} or {@code source}
   */
  record Unreadable(String field, String message) implements ImportResult {}

  /**
   * Some rows are invalid; nothing was stored.
   *
   * @param rowsRead rows in the file
   * @param badRows rows with at least one error
   * @param errors every bad field of every row, in file order
   */
  record Invalid(int rowsRead, int badRows, List<RowError> errors) implements ImportResult {
    public Invalid {
      errors = List.copyOf(errors);
    }
  }

  /**
   * Another import stored one of these session ids between validation and the write; nothing of
   * this one was stored. Sending the file again reports the duplicates row by row.
   */
  record Conflict(String message) implements ImportResult {}
}
