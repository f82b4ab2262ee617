package org.labmeter.agent.outbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.datadir.DurableFile;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.Ids;
import org.labmeter.wire.SignedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed batches on disk until the broker acknowledges them: per instrument an append-only log of
 * segment files, {@code outbox/<instrument>/<first sequence, 20 digits>.seg}, each record {@code
 * [length u32][CRC32C u32][envelope]}, exactly the bytes sent. A batch is on disk (fdatasync'd)
 * before it is handed to MQTT, and its segment is deleted only after every record in it was
 * acknowledged, so a crash, a kill or a power cut at any moment loses no sealed batch and never
 * forks a chain. A record torn by a crash fails its checksum and is cut off at the next start.
 *
 * <p>Writes and deletes happen on the agent's thread; the counters may be read from any thread.
 */
public final class Outbox implements AutoCloseable {
  /** Segment size at which the log starts a new file. */
  public static final long DEFAULT_SEGMENT_BYTES = 16L * 1024 * 1024;

  /**
   * The newest segment is deleted once all acknowledged and at least this large (or half a segment,
   * if less), so that an agent that is online does not keep acknowledged records for long.
   */
  static final long RETIRE_BYTES = 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final DataDir dataDir;
  private final long maxBytes;
  private final long segmentBytes;
  private final ChainStateFile chainStateFile;
  private final OutboxCounters counters = new OutboxCounters();
  private final ConcurrentSkipListMap<String, InstrumentLog> logs = new ConcurrentSkipListMap<>();
  private final Map<String, ChainState> durableStates = new ConcurrentHashMap<>();
  private final Map<String, ChainState> latestStates = new ConcurrentHashMap<>();
  private String agentId = "?";
  private boolean closed;

  public Outbox(DataDir dataDir, long maxBytes) {
    this(dataDir, maxBytes, DEFAULT_SEGMENT_BYTES);
  }

  /**
   * @param maxBytes quota on the envelope bytes not yet acknowledged
   * @param segmentBytes size at which a segment is closed and a new one started
   */
  public Outbox(DataDir dataDir, long maxBytes, long segmentBytes) {
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException("segmentBytes must be >= 1024, got " + segmentBytes);
    }
    this.dataDir = dataDir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.chainStateFile = new ChainStateFile(dataDir);
  }

  /**
   * Indexes what a previous run left and finds where each chain stands: the later of the chain
   * state file and the newest record in the log. Batch files of the earlier one-file-per-batch
   * format are moved into the log first. Torn tails are cut off and counted ({@link
   * #truncatedRecords}).
   *
   * @return chain state per instrument found on disk
   * @throws IOException when the disk cannot be read or a chain state file is garbled
   */
  public Map<String, ChainState> recover(String agentId) throws IOException {
    this.agentId = agentId;
    DurableFile.createDirectories(dataDir.outboxDir());
    Map<String, ChainState> states = new HashMap<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir.outboxDir())) {
      for (Path dir : dirs) {
        String instrumentId = dir.getFileName().toString();
        if (!Files.isDirectory(dir) || !Ids.isValid(instrumentId)) {
          continue;
        }
        InstrumentLog instrumentLog = logFor(instrumentId);
        LegacyOutboxImport.importInto(agentId, instrumentId, dir, instrumentLog);
        newestInLog(instrumentId, instrumentLog).ifPresent(s -> states.put(instrumentId, s));
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
          fromFile.ifPresent(
              s -> {
                durableStates.put(instrumentId, s);
                states.merge(instrumentId, s, ChainState::later);
              });
        }
      }
    }
    latestStates.putAll(states);
    return states;
  }

  private Optional<ChainState> newestInLog(String instrumentId, InstrumentLog instrumentLog)
      throws IOException {
    Optional<byte[]> envelope = instrumentLog.newestEnvelope();
    if (envelope.isEmpty()) {
      return Optional.empty();
    }
    DecodeResult decoded = BatchCodec.decode(envelope.get());
    if (!(decoded instanceof DecodeResult.Decoded d)) {
      log.error(
          "agent {} instrument {}: the newest outbox record (batch {}) does not decode ({}); the"
              + " chain state file decides where the chain continues",
          agentId,
          instrumentId,
          instrumentLog.newestSequence(),
          decoded);
      return Optional.empty();
    }
    if (!d.signedBatch().batch().agentId().equals(agentId)) {
      log.warn(
          "agent {} instrument {}: outbox batch {} was sealed by agent {}",
          agentId,
          instrumentId,
          instrumentLog.newestSequence(),
          d.signedBatch().batch().agentId());
    }
    log.info(
        "agent {} instrument {}: {} batches pending in the outbox, newest sequence {}",
        agentId,
        instrumentId,
        instrumentLog.pendingCount(),
        instrumentLog.newestSequence());
    return Optional.of(ChainState.after(d.signedBatch()));
  }

  /** Appends a sealed batch durably; after this returns it survives a crash. */
  public OutboxEntry write(SignedBatch batch) throws IOException {
    String instrumentId = batch.batch().instrumentId();
    logFor(instrumentId).append(batch.batch().sequence(), batch.envelope(), true);
    return new OutboxEntry(instrumentId, batch.batch().sequence(), batch.envelopeLength());
  }

  /** Records the chain state after a batch was written; call after {@link #write}. */
  public void saveChainState(String instrumentId, ChainState state) throws IOException {
    latestStates.put(instrumentId, state);
    chainStateFile.write(instrumentId, state);
    durableStates.put(instrumentId, state);
  }

  public byte[] read(OutboxEntry entry) throws IOException {
    InstrumentLog instrumentLog = logs.get(entry.instrumentId());
    if (instrumentLog == null) {
      throw new IOException("no outbox for instrument " + entry.instrumentId());
    }
    return instrumentLog.read(entry.sequence());
  }

  /**
   * Marks an acknowledged batch as delivered; false when it is gone already (a duplicate PUBACK).
   * Its disk space comes back when every batch in its segment is acknowledged.
   */
  public boolean delete(OutboxEntry entry) throws IOException {
    InstrumentLog instrumentLog = logs.get(entry.instrumentId());
    return !closed && instrumentLog != null && instrumentLog.acknowledge(entry.sequence());
  }

  /** The oldest pending batch of an instrument with a sequence above {@code afterSequence}. */
  public Optional<OutboxEntry> next(String instrumentId, long afterSequence) {
    InstrumentLog instrumentLog = logs.get(instrumentId);
    if (instrumentLog == null) {
      return Optional.empty();
    }
    return instrumentLog
        .next(afterSequence)
        .map(e -> new OutboxEntry(instrumentId, e.getKey(), e.getValue().length()));
  }

  /** Instruments that have, or had since start, pending batches, in name order. */
  public List<String> instruments() {
    return List.copyOf(logs.keySet());
  }

  public long pendingCount() {
    return counters.pendingCount.get();
  }

  /** Envelope bytes not acknowledged yet: what the quota counts. */
  public long pendingBytes() {
    return counters.pendingBytes.get();
  }

  /**
   * Bytes the segment files take: the pending envelopes, 8 bytes of framing each, and the
   * acknowledged records that share a segment with a pending one.
   */
  public long diskBytes() {
    return counters.diskBytes.get();
  }

  /** Torn or garbled record tails cut off at recovery since this outbox was created. */
  public long truncatedRecords() {
    return counters.truncatedRecords.get();
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** True when the pending batches take the whole quota; new samples are then dropped. */
  public boolean isFull() {
    return counters.pendingBytes.get() >= maxBytes;
  }

  /** Records the acknowledged prefixes and closes the segment files. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException failure = null;
    for (InstrumentLog instrumentLog : logs.values()) {
      try {
        instrumentLog.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private InstrumentLog logFor(String instrumentId) throws IOException {
    if (closed) {
      throw new IOException("the outbox of agent " + agentId + " is closed");
    }
    InstrumentLog instrumentLog = logs.get(instrumentId);
    if (instrumentLog == null) {
      instrumentLog =
          InstrumentLog.open(
              agentId,
              instrumentId,
              dataDir.outboxDir(instrumentId),
              segmentBytes,
              counters,
              sequence -> chainStateHolds(instrumentId, sequence));
      logs.put(instrumentId, instrumentLog);
    }
    return instrumentLog;
  }

  /**
   * True when the chain state file durably records {@code sequence} (writing it now if only memory
   * knows), so the log may delete the record that holds the chain head.
   */
  private boolean chainStateHolds(String instrumentId, long sequence) {
    ChainState durable = durableStates.get(instrumentId);
    if (durable != null && durable.nextSequence() > sequence) {
      return true;
    }
    ChainState latest = latestStates.get(instrumentId);
    if (latest == null || latest.nextSequence() <= sequence) {
      return false;
    }
    try {
      chainStateFile.write(instrumentId, latest);
      durableStates.put(instrumentId, latest);
      return true;
    } catch (IOException e) {
      log.warn(
          "agent {} instrument {}: cannot write the chain state ({}); keeping batch {} on disk",
          agentId,
          instrumentId,
          e.toString(),
          sequence);
      return false;
    }
  }
}
