package org.labmeter.metering.sessions;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;

/**
 * Turns an uploaded file's bytes into text. Spreadsheets in China save CSV as GBK unless told to
 * write UTF-8, and Excel's "CSV UTF-8" adds a byte order mark, so the rule is:
 *
 * <ol>
 *   <li>a {@code charset} parameter on the Content-Type wins, and the bytes must be valid in it;
 *   <li>otherwise a UTF-8 byte order mark means UTF-8;
 *   <li>otherwise bytes that are valid UTF-8 are UTF-8, and anything else is read as GBK.
 * </ol>
 *
 * Every decoding is strict: a byte sequence the charset does not define refuses the file rather
 * than turning into replacement characters. A leading byte order mark is dropped from the text.
 */
final class TextDecoder {
  static final Charset GBK = Charset.forName("GBK");
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** The text and the charset it was read in. */
  record Decoded(String text, Charset charset) {}

  private TextDecoder() {}

  static Decoded decode(byte[] bytes, String declaredCharset) throws ImportFileException {
    if (declaredCharset != null && !declaredCharset.isBlank()) {
      Charset cs = charset(declaredCharset.strip());
      String text = strict(bytes, cs);
      if (text == null) {
        throw new ImportFileException(
            "charset",
            "the body is not valid " + cs.name() + " as its Content-Type charset declares");
      }
      return new Decoded(dropBom(text), cs);
    }
    String utf8 = strict(bytes, StandardCharsets.UTF_8);
    if (utf8 != null) {
      return new Decoded(dropBom(utf8), StandardCharsets.UTF_8);
    }
    if (startsWithUtf8Bom(bytes)) {
      throw new ImportFileException(
          "body", "the body starts with a UTF-8 byte order mark but is not valid UTF-8");
    }
    String gbk = strict(bytes, GBK);
    if (gbk == null) {
      throw new ImportFileException(
          "body",
          "the body is neither valid UTF-8 nor valid GBK; save the file as CSV UTF-8, or name its"
              + " encoding in the Content-Type charset parameter");
    }
    return new Decoded(gbk, GBK);
  }

  private static Charset charset(String name) throws ImportFileException {
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new ImportFileException(
          "charset",
          "unknown charset '" + name + "'; use UTF-8, GBK or GB18030, or leave it out to detect");
    }
  }

  /** The text, or null when the bytes are not valid in the charset. */
  private static String strict(byte[] bytes, Charset cs) {
    try {
      return cs.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean startsWithUtf8Bom(byte[] bytes) {
    return bytes.length >= 3
        && bytes[0] == UTF8_BOM[0]
        && bytes[1] == UTF8_BOM[1]
        && bytes[2] == UTF8_BOM[2];
  }

  private static String dropBom(String text) {
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }
}
