package org.labmeter.metering.sessions;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text (RFC 4180: comma separated, fields in double quotes may hold commas, line breaks
 * and doubled quotes; CRLF, LF or CR line ends) into records, each with the line it starts on.
 * Records whose fields are all blank, as spreadsheets write for empty rows, are skipped.
 */
final class CsvRecords {
  /** One record and the 1-based line of the file it starts on. */
  record CsvRecord(int line, List<String> fields) {}

  private CsvRecords() {}

  static List<CsvRecord> parse(String text) throws ImportFileException {
    List<CsvRecord> out = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    int i = 0;
    int n = text.length();
    boolean quoted = false;
    while (i < n) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            field.append('"');
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          if (i < n && ",\r\n".indexOf(text.charAt(i)) < 0) {
            throw new ImportFileException(
                "body",
                "CSV line "
                    + line
                    + ": a quoted field must end at a comma or line end, found '"
                    + text.charAt(i)
                    + "'");
          }
          continue;
        }
        if (ch == '\n' || (ch == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n'))) {
          line++;
        }
        field.append(ch);
        i++;
        continue;
      }
      switch (ch) {
        case '"' -> {
          if (field.length() == 0) {
            quoted = true;
          } else {
            field.append(ch);
          }
          i++;
        }
        case ',' -> {
          fields.add(field.toString());
          field.setLength(0);
          i++;
        }
        case '\r', '\n' -> {
          fields.add(field.toString());
          field.setLength(0);
          add(out, recordLine, fields);
          fields = new ArrayList<>();
          i += ch == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
          line++;
          recordLine = line;
        }
        default -> {
          field.append(ch);
          i++;
        }
      }
    }
    if (quoted) {
      throw new ImportFileException(
          "body", "CSV line " + recordLine + ": a quoted field is not closed before the end");
    }
    if (field.length() > 0 || !fields.isEmpty()) {
      fields.add(field.toString());
      add(out, recordLine, fields);
    }
    return out;
  }

  private static void add(List<CsvRecord> out, int line, List<String> fields) {
    for (String f : fields) {
      if (!f.isBlank()) {
        out.add(new CsvRecord(line, List.copyOf(fields)));
        return;
      }
    }
  }
}
