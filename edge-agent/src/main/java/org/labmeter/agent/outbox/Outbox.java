package org.labmeter.agent.outbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.datadir.DurableFile;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.Ids;
import org.labmeter.wire.SignedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed batches on disk until the broker acknowledges them: {@code outbox/<instrument>/<sequence,
 * 20 digits>.lmb}, one envelope per file, exactly the bytes sent. A batch is durable here before it
 * is handed to MQTT, and deleted only after its PUBACK, so a crash, a kill or a power cut at any
 * moment loses no sealed batch and never forks a chain.
 *
 * <p>Writes and deletes happen on the agent's thread; the counters may be read from any thread.
 */
public final class Outbox {
  public static final String SUFFIX = ".lmb";
  private static final Pattern FILE_NAME = Pattern.compile("(\\d{20})\\.lmb");
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final DataDir dataDir;
  private final long maxBytes;
  private final ChainStateFile chainStateFile;
  private final ConcurrentSkipListMap<String, ConcurrentSkipListMap<Long, OutboxEntry>> pending =
      new ConcurrentSkipListMap<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicLong pendingCount = new AtomicLong();

  public Outbox(DataDir dataDir, long maxBytes) {
    this.dataDir = dataDir;
    this.maxBytes = maxBytes;
    this.chainStateFile = new ChainStateFile(dataDir);
  }

  public static String fileName(long sequence) {
    return String.format("%020d", sequence) + SUFFIX;
  }

  /**
   * Indexes what a previous run left and finds where each chain stands: the later of the chain
   * state file and the newest outbox file. Leftover temp files (a crash in the middle of a write)
   * are removed; a file that does not decode is moved to {@code corrupt/} and logged.
   *
   * @return chain state per instrument found on disk
   * @throws IOException when the disk cannot be read or a chain state file is garbled
   */
  public Map<String, ChainState> recover(String agentId) throws IOException {
    DurableFile.createDirectories(dataDir.outboxDir());
    Map<String, ChainState> states = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir.outboxDir())) {
      for (Path dir : dirs) {
        String instrumentId = dir.getFileName().toString();
        if (!Files.isDirectory(dir) || !Ids.isValid(instrumentId)) {
          continue;
        }
        recoverInstrument(agentId, instrumentId, dir)
            .ifPresent(state -> states.put(instrumentId, state));
      }
    }
    if (Files.isDirectory(dataDir.chainDir())) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir.chainDir(), "*.state")) {
        for (Path file : files) {
          String name = file.getFileName().toString();
          String instrumentId = name.substring(0, name.length() - ".state".length());
          if (!Ids.isValid(instrumentId)) {
            continue;
          }
          Optional<ChainState> fromFile = chainStateFile.read(instrumentId);
          fromFile.ifPresent(s -> states.merge(instrumentId, s, ChainState::later));
        }
      }
    }
    return states;
  }

  private Optional<ChainState> recoverInstrument(String agentId, String instrumentId, Path dir)
      throws IOException {
    ConcurrentSkipListMap<Long, OutboxEntry> entries = instrumentEntries(instrumentId);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(DurableFile.TEMP_SUFFIX)) {
          log.warn(
              "agent {} instrument {}: removing {} left by an interrupted write",
              agentId,
              instrumentId,
              file);
          Files.delete(file);
          continue;
        }
        Matcher m = FILE_NAME.matcher(name);
        if (!Files.isRegularFile(file) || !m.matches()) {
          continue;
        }
        long sequence = Long.parseLong(m.group(1));
        add(new OutboxEntry(instrumentId, sequence, file, Files.size(file)));
      }
    }
    // The newest decodable file is where the chain stands; walk back past corrupt ones.
    for (Long sequence : List.copyOf(entries.descendingKeySet())) {
      OutboxEntry entry = entries.get(sequence);
      DecodeResult decoded = BatchCodec.decode(Files.readAllBytes(entry.file()));
      if (decoded instanceof DecodeResult.Decoded d
          && d.signedBatch().batch().sequence() == sequence
          && d.signedBatch().batch().instrumentId().equals(instrumentId)) {
        if (!d.signedBatch().batch().agentId().equals(agentId)) {
          log.warn(
              "agent {} instrument {}: outbox batch {} was sealed by agent {}",
              agentId,
              instrumentId,
              sequence,
              d.signedBatch().batch().agentId());
        }
        log.info(
            "agent {} instrument {}: {} batches pending in the outbox, newest sequence {}",
            agentId,
            instrumentId,
            entries.size(),
            sequence);
        return Optional.of(ChainState.after(d.signedBatch()));
      }
      quarantine(agentId, entry, decoded);
    }
    return Optional.empty();
  }

  private void quarantine(String agentId, OutboxEntry entry, DecodeResult result)
      throws IOException {
    Path corruptDir = entry.file().getParent().resolve("corrupt");
    Files.createDirectories(corruptDir);
    Files.move(
        entry.file(),
        corruptDir.resolve(entry.file().getFileName()),
        StandardCopyOption.REPLACE_EXISTING);
    remove(entry);
    log.error(
        "agent {} instrument {}: outbox file {} is not a valid batch ({}); moved to {}",
        agentId,
        entry.instrumentId(),
        entry.file(),
        result,
        corruptDir);
  }

  /** Writes a sealed batch durably; after this returns it survives a crash. */
  public OutboxEntry write(SignedBatch batch) throws IOException {
    String instrumentId = batch.batch().instrumentId();
    Path dir = dataDir.outboxDir(instrumentId);
    DurableFile.createDirectories(dir);
    Path file = dir.resolve(fileName(batch.batch().sequence()));
    DurableFile.write(file, batch.envelope());
    OutboxEntry entry =
        new OutboxEntry(instrumentId, batch.batch().sequence(), file, batch.envelopeLength());
    add(entry);
    return entry;
  }

  /** Records the chain state after a batch was written; call after {@link #write}. */
  public void saveChainState(String instrumentId, ChainState state) throws IOException {
    chainStateFile.write(instrumentId, state);
  }

  public byte[] read(OutboxEntry entry) throws IOException {
    return Files.readAllBytes(entry.file());
  }

  /** Deletes an acknowledged batch; a no-op when it is gone already (a duplicate PUBACK). */
  public boolean delete(OutboxEntry entry) throws IOException {
    NavigableMap<Long, OutboxEntry> entries = pending.get(entry.instrumentId());
    if (entries == null || entries.get(entry.sequence()) == null) {
      return false;
    }
    Files.deleteIfExists(entries.get(entry.sequence()).file());
    remove(entry);
    return true;
  }

  /** The oldest pending batch of an instrument with a sequence above {@code afterSequence}. */
  public Optional<OutboxEntry> next(String instrumentId, long afterSequence) {
    NavigableMap<Long, OutboxEntry> entries = pending.get(instrumentId);
    if (entries == null) {
      return Optional.empty();
    }
    Map.Entry<Long, OutboxEntry> e = entries.higherEntry(afterSequence);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }

  /** Instruments that have, or had since start, pending batches, in name order. */
  public List<String> instruments() {
    return List.copyOf(pending.keySet());
  }

  public long pendingCount() {
    return pendingCount.get();
  }

  public long pendingBytes() {
    return pendingBytes.get();
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** True when the pending batches take the whole quota; new samples are then dropped. */
  public boolean isFull() {
    return pendingBytes.get() >= maxBytes;
  }

  private ConcurrentSkipListMap<Long, OutboxEntry> instrumentEntries(String instrumentId) {
    return pending.computeIfAbsent(instrumentId, k -> new ConcurrentSkipListMap<>());
  }

  private void add(OutboxEntry entry) {
    OutboxEntry previous = instrumentEntries(entry.instrumentId()).put(entry.sequence(), entry);
    if (previous != null) {
      pendingBytes.addAndGet(-previous.sizeBytes());
      pendingCount.decrementAndGet();
    }
    pendingBytes.addAndGet(entry.sizeBytes());
    pendingCount.incrementAndGet();
  }

  private void remove(OutboxEntry entry) {
    NavigableMap<Long, OutboxEntry> entries = pending.get(entry.instrumentId());
    OutboxEntry removed = entries == null ? null : entries.remove(entry.sequence());
    if (removed != null) {
      pendingBytes.addAndGet(-removed.sizeBytes());
      pendingCount.decrementAndGet();
    }
  }
}
