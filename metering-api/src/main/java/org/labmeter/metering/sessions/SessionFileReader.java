package org.labmeter.metering.sessions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.labmeter.metering.sessions.CsvRecords.CsvRecord;

/**
 * Reads an uploaded file into rows of field texts for {@link
 * org.labmeter.metering.attribution.UsageSessionParser}. A body that cannot be read at all (its
 * encoding, its CSV quoting or JSON syntax, its header) throws; problems of single rows are
 * collected as {@link RowError}s so that every one of them is reported.
 */
final class SessionFileReader {
  /** The field names of the parser, which are the CSV header names and JSON keys. */
  static final List<String> FIELDS =
      List.of(
          "id",
          "kind",
          "start",
          "end",
          "user",
          "userEntityId",
          "serviceWay",
          "direction",
          "purpose",
          "funding",
          "fee",
          "voucherId",
          "voucherRedeemed",
          "invoiced",
          "prep",
          "post");

  private static final Map<String, String> BY_LOWER = new HashMap<>();

  static {
    for (String f : FIELDS) {
      BY_LOWER.put(f.toLowerCase(Locale.ROOT), f);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The rows read, the row-level problems found, and the charset the text was read in. */
  record Content(List<ImportRow> rows, List<RowError> errors, Charset charset) {}

  private SessionFileReader() {}

  static Content read(ImportFormat format, byte[] body, String declaredCharset)
      throws ImportFileException {
    TextDecoder.Decoded text = TextDecoder.decode(body, declaredCharset);
    return switch (format) {
      case CSV -> csv(text);
      case JSON -> json(text);
    };
  }

  private static Content csv(TextDecoder.Decoded text) throws ImportFileException {
    List<CsvRecord> records = CsvRecords.parse(text.text());
    if (records.isEmpty()) {
      throw new ImportFileException("body", "the CSV file is empty; it needs a header row");
    }
    List<String> header = header(records.get(0).fields());
    List<ImportRow> rows = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      CsvRecord rec = records.get(r);
      Map<String, String> fields = new LinkedHashMap<>();
      for (int c = 0; c < Math.min(header.size(), rec.fields().size()); c++) {
        fields.put(header.get(c), rec.fields().get(c));
      }
      if (rec.fields().size() != header.size()) {
        errors.add(
            new RowError(
                r,
                rec.line(),
                fields.get("id"),
                null,
                null,
                "row "
                    + r
                    + " (line "
                    + rec.line()
                    + ") has "
                    + rec.fields().size()
                    + " fields, the header has "
                    + header.size()));
      }
      rows.add(new ImportRow(r, rec.line(), fields));
    }
    return new Content(rows, errors, text.charset());
  }

  private static List<String> header(List<String> names) throws ImportFileException {
    List<String> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String raw : names) {
      String name = BY_LOWER.get(raw.strip().toLowerCase(Locale.ROOT));
      if (name == null) {
        problems.add("unknown column '" + raw.strip() + "'");
      } else if (out.contains(name)) {
        problems.add("column '" + name + "' appears twice");
      }
      out.add(name);
    }
    if (!problems.isEmpty()) {
      throw new ImportFileException(
          "header",
          "CSV header (line 1): "
              + String.join("; ", problems)
              + "; allowed columns: "
              + String.join(", ", FIELDS));
    }
    return out;
  }

  private static Content json(TextDecoder.Decoded text) throws ImportFileException {
    JsonNode root;
    try {
      root = JSON.readTree(text.text());
    } catch (JsonProcessingException e) {
      throw new ImportFileException(
          "body", "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new ImportFileException("body", "the JSON body must be an array of session objects");
    }
    List<ImportRow> rows = new ArrayList<>();
    List<RowError> errors = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      int row = i + 1;
      JsonNode item = root.get(i);
      Map<String, String> fields = new LinkedHashMap<>();
      if (!item.isObject()) {
        errors.add(new RowError(row, 0, null, null, null, "row " + row + " is not an object"));
        rows.add(new ImportRow(row, 0, fields));
        continue;
      }
      JsonNode idNode = item.get("id");
      String id = idNode != null && idNode.isValueNode() ? idNode.asText() : null;
      for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        JsonNode v = e.getValue();
        if (!FIELDS.contains(key)) {
          errors.add(
              new RowError(
                  row,
                  0,
                  id,
                  key,
                  null,
                  "row "
                      + row
                      + ": unknown field '"
                      + key
                      + "'; allowed fields: "
                      + String.join(", ", FIELDS)));
        } else if (v.isNull()) {
          continue;
        } else if (v.isContainerNode()) {
          errors.add(
              new RowError(
                  row,
                  0,
                  id,
                  key,
                  null,
                  "row " + row + ": field " + key + " must be a string, number or boolean"));
        } else {
          fields.put(key, v.isBigDecimal() ? v.decimalValue().toPlainString() : v.asText());
        }
      }
      rows.add(new ImportRow(row, 0, fields));
    }
    return new Content(rows, errors, text.charset());
  }
}
