package org.labmeter.agent.outbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.labmeter.agent.datadir.DurableFile;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.DecodeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the one-file-per-batch outbox of earlier versions ({@code <sequence, 20 digits>.lmb}) into
 * the instrument's log, in sequence order, then removes the files. The records are made durable
 * (one sync for all) before any file goes; a crash in between leaves files whose sequence the log
 * already has, and those are simply removed at the next start. A file that does not decode is moved
 * to {@code corrupt/}, as before.
 */
final class LegacyOutboxImport {
  static final String SUFFIX = ".lmb";
  private static final Pattern FILE_NAME = Pattern.compile("(\\d{20})\\.lmb");
  private static final Logger log = LoggerFactory.getLogger(LegacyOutboxImport.class);

  private LegacyOutboxImport() {}

  /** Returns the number of batches imported. */
  static int importInto(String agentId, String instrumentId, Path dir, InstrumentLog target)
      throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : entries) {
        Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        if (Files.isRegularFile(file) && m.matches()) {
          files.put(Long.parseLong(m.group(1)), file);
        }
      }
    }
    if (files.isEmpty()) {
      return 0;
    }
    List<Path> done = new ArrayList<>();
    int imported = 0;
    for (Map.Entry<Long, Path> e : files.entrySet()) {
      byte[] envelope = Files.readAllBytes(e.getValue());
      DecodeResult decoded = BatchCodec.decode(envelope);
      if (!(decoded instanceof DecodeResult.Decoded d)
          || d.signedBatch().batch().sequence() != e.getKey()
          || !d.signedBatch().batch().instrumentId().equals(instrumentId)) {
        quarantine(agentId, instrumentId, e.getValue(), decoded);
        continue;
      }
      if (e.getKey() > target.newestSequence()) {
        target.append(e.getKey(), envelope, false);
        imported++;
      }
      done.add(e.getValue());
    }
    target.sync();
    for (Path file : done) {
      Files.delete(file);
    }
    DurableFile.syncDirectory(dir);
    log.info(
        "agent {} instrument {}: moved {} batch files of the earlier outbox format into its log",
        agentId,
        instrumentId,
        imported);
    return imported;
  }

  private static void quarantine(
      String agentId, String instrumentId, Path file, DecodeResult result) throws IOException {
    Path corruptDir = file.getParent().resolve("corrupt");
    Files.createDirectories(corruptDir);
    Files.move(file, corruptDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    log.error(
        "agent {} instrument {}: outbox file {} is not a valid batch ({}); moved to {}",
        agentId,
        instrumentId,
        file,
        result,
        corruptDir);
  }
}
