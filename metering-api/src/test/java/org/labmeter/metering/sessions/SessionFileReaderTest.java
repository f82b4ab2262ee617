package org.labmeter.metering.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.sessions.CsvRecords.CsvRecord;

/** CSV splitting, the encoding rule and header checks, on texts and bytes written out by hand. */
class SessionFileReaderTest {

  @Test
  void csvQuotesLineEndsAndBlankRowsFollowRfc4180() throws Exception {
    String text =
        "id,user\r\n" // line 1
            + "a,\"Li, Na\"\r\n" // line 2: comma inside quotes
            + "b,\"two\nlines\"\n" // line 3-4: line break inside quotes
            + ",\r\n" // line 5: an empty spreadsheet row, skipped
            + "c,\"say \"\"hi\"\"\"\r" // line 6: doubled quotes, old Mac line end
            + "d,"; // line 7: no final line end
    List<CsvRecord> records = CsvRecords.parse(text);
    assertThat(records)
        .containsExactly(
            new CsvRecord(1, List.of("id", "user")),
            new CsvRecord(2, List.of("a", "Li, Na")),
            new CsvRecord(3, List.of("b", "two\nlines")),
            new CsvRecord(6, List.of("c", "say \"hi\"")),
            new CsvRecord(7, List.of("d", "")));
  }

  @Test
  void brokenQuotingRefusesTheFileNamingTheLine() {
    assertThatThrownBy(() -> CsvRecords.parse("id\n\"open"))
        .isInstanceOf(ImportFileException.class)
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> CsvRecords.parse("id\n\"a\"b\n"))
        .hasMessageContaining("line 2")
        .hasMessageContaining("'b'");
  }

  @Test
  void encodingRuleBomThenStrictUtf8ThenGbk() throws Exception {
    // 李 in UTF-8 is E6 9D 8E; in GBK it is C0 EE, which is not valid UTF-8
    byte[] utf8Bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xE6, (byte) 0x9D, (byte) 0x8E};
    byte[] gbk = {(byte) 0xC0, (byte) 0xEE};
    assertThat(TextDecoder.decode(utf8Bom, null))
        .isEqualTo(new TextDecoder.Decoded("李", StandardCharsets.UTF_8));
    assertThat(TextDecoder.decode(gbk, null))
        .isEqualTo(new TextDecoder.Decoded("李", TextDecoder.GBK));
    assertThat(TextDecoder.decode(gbk, "gb18030").text()).isEqualTo("李");
    // a BOM followed by bytes that are not UTF-8 is not guessed at
    assertThatThrownBy(
            () ->
                TextDecoder.decode(
                    new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xC0, (byte) 0xEE},
                    null))
        .isInstanceOf(ImportFileException.class);
    // 0xFF is a lead byte in neither UTF-8 nor GBK
    assertThatThrownBy(() -> TextDecoder.decode(new byte[] {(byte) 0xFF, (byte) 0xFE}, null))
        .hasMessageContaining("neither valid UTF-8 nor valid GBK");
    assertThatThrownBy(() -> TextDecoder.decode(gbk, "klingon"))
        .hasMessageContaining("unknown charset");
  }

  @Test
  void headerNamesMatchInAnyCaseAndUnknownOrRepeatedColumnsAreRefused() throws Exception {
    byte[] ok =
        "ID,Kind,START,end,user,USERENTITYID\nk-1,BOOKING,0,1,u,e\n"
            .getBytes(StandardCharsets.UTF_8);
    SessionFileReader.Content c = SessionFileReader.read(ImportFormat.CSV, ok, null);
    assertThat(c.rows().get(0).fields())
        .containsEntry("userEntityId", "e")
        .containsEntry("id", "k-1");
    assertThat(c.errors()).isEmpty();

    byte[] bad = "id,start,colour,id\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SessionFileReader.read(ImportFormat.CSV, bad, null))
        .hasMessageContaining("unknown column 'colour'")
        .hasMessageContaining("column 'id' appears twice");
  }

  @Test
  void rowsWithTheWrongNumberOfFieldsAreRowErrors() throws Exception {
    byte[] csv = "id,user\na,b\nc\n".getBytes(Charset.forName("GBK"));
    SessionFileReader.Content c = SessionFileReader.read(ImportFormat.CSV, csv, null);
    assertThat(c.rows()).hasSize(2);
    assertThat(c.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.row()).isEqualTo(2);
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.message()).contains("has 1 fields, the header has 2");
            });
  }

  @Test
  void contentTypeGivesFormatAndCharset() {
    assertThat(ImportFormat.ofMediaType("Text/CSV; charset=GBK")).contains(ImportFormat.CSV);
    assertThat(ImportFormat.charsetOf("text/csv; header=present; charset=\"gbk\""))
        .isEqualTo("gbk");
    assertThat(ImportFormat.ofMediaType("application/json")).contains(ImportFormat.JSON);
    assertThat(ImportFormat.ofMediaType("text/plain")).isEmpty();
    assertThat(ImportFormat.charsetOf("application/json")).isNull();
  }
}
