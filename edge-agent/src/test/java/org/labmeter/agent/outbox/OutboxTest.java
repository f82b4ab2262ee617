package org.labmeter.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.pipeline.BatchChain;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

class OutboxTest {
  private static final String AGENT = "agent-1";
  private static final String MS = "ms-qtof-01";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);

  /**
   * A batch of two samples: 66 fixed header bytes + 7 ("agent-1") + 10 ("ms-qtof-01") + 2 * 26
   * sample bytes + 64 signature bytes = 199; its record adds 4 bytes of length and 4 of CRC.
   */
  private static final int ENVELOPE = 199;

  private static final int RECORD = ENVELOPE + 8;

  @TempDir Path dir;
  private DataDir dataDir;
  private Ed25519Signer signer;

  @BeforeEach
  void setUp() {
    dataDir = new DataDir(dir);
    signer = Ed25519Signer.fromSeed(new byte[32]);
  }

  @Test
  void appendsRecoversAndAcknowledges() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    List<SignedBatch> written = seal(outbox, chain, 3);

    Path segment = dir.resolve("outbox/ms-qtof-01/00000000000000000000.seg");
    assertThat(Files.size(segment)).isEqualTo(3 * RECORD);
    assertThat(outbox.pendingCount()).isEqualTo(3);
    assertThat(outbox.pendingBytes()).isEqualTo(3 * ENVELOPE);
    assertThat(outbox.diskBytes()).isEqualTo(3 * RECORD);
    outbox.close();

    Outbox reopened = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = reopened.recover(AGENT);

    SignedBatch newest = written.get(2);
    assertThat(states).containsOnlyKeys(MS);
    assertThat(states.get(MS))
        .isEqualTo(new ChainState(3, newest.hash(), newest.batch().lastTimestampMillis()));
    assertThat(reopened.pendingCount()).isEqualTo(3);
    assertThat(reopened.pendingBytes()).isEqualTo(3 * ENVELOPE);
    assertThat(reopened.truncatedRecords()).isZero();
    OutboxEntry first = reopened.next(MS, -1).orElseThrow();
    assertThat(first).isEqualTo(new OutboxEntry(MS, 0, ENVELOPE));
    assertThat(reopened.read(first)).isEqualTo(written.get(0).envelope());

    assertThat(reopened.delete(first)).isTrue();
    assertThat(reopened.pendingCount()).isEqualTo(2);
    assertThat(reopened.next(MS, -1)).map(OutboxEntry::sequence).contains(1L);
    assertThat(reopened.next(MS, 2)).isEmpty();
    // a second PUBACK for the same batch is harmless
    assertThat(reopened.delete(first)).isFalse();
    assertThat(reopened.pendingCount()).isEqualTo(2);
    assertThatThrownBy(() -> reopened.read(first)).hasMessageContaining("no longer in the outbox");
    reopened.close();
  }

  @Test
  void aTornTailIsCutOffCountedAndWrittenOver() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    List<SignedBatch> written = seal(outbox, chain, 2);
    outbox.close();
    // killed while appending batch 2: its length, CRC and 50 of its 199 envelope bytes got out
    Path segment = dir.resolve("outbox/ms-qtof-01/00000000000000000000.seg");
    byte[] torn = new byte[8 + 50];
    torn[3] = (byte) ENVELOPE;
    Files.write(segment, torn, StandardOpenOption.APPEND);

    Outbox reopened = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = reopened.recover(AGENT);

    assertThat(reopened.truncatedRecords()).isEqualTo(1);
    assertThat(Files.size(segment)).isEqualTo(2 * RECORD);
    assertThat(reopened.pendingCount()).isEqualTo(2);
    assertThat(states.get(MS).nextSequence()).isEqualTo(2);
    assertThat(states.get(MS).previousHash()).isEqualTo(written.get(1).hash());

    // the chain continues right where the intact records end
    seal(reopened, chain(reopened, 2, states.get(MS)), 1);
    reopened.close();
    Outbox third = new Outbox(dataDir, 1 << 20);
    third.recover(AGENT);
    assertThat(third.truncatedRecords()).isZero();
    assertThat(Files.size(segment)).isEqualTo(3 * RECORD);
    assertThat(pendingSequences(third)).containsExactly(0L, 1L, 2L);
    third.close();
  }

  @Test
  void aGarbledNewestRecordDoesNotForkTheChain() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    seal(outbox, chain, 3);
    outbox.close();
    // one bit of batch 2's signature flips on disk: its CRC no longer matches
    Path segment = dir.resolve("outbox/ms-qtof-01/00000000000000000000.seg");
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 1] ^= 1;
    Files.write(segment, bytes);

    Outbox reopened = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = reopened.recover(AGENT);

    assertThat(reopened.truncatedRecords()).isEqualTo(1);
    assertThat(pendingSequences(reopened)).containsExactly(0L, 1L);
    // the state file still knows batch 2 was sealed: the chain continues at 3, not at 2
    assertThat(states.get(MS)).isEqualTo(chain.state());
    reopened.close();
  }

  @Test
  void outOfOrderAcksKeepTheContiguousPrefixAndResendTheRestAfterARestart() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    seal(outbox, chain(outbox, 1, ChainState.INITIAL), 5);
    outbox.delete(new OutboxEntry(MS, 1, ENVELOPE));
    outbox.delete(new OutboxEntry(MS, 3, ENVELOPE));
    assertThat(pendingSequences(outbox)).containsExactly(0L, 2L, 4L);

    // a kill now: no acknowledgement was recorded, all five are sent again
    Outbox afterKill = new Outbox(dataDir, 1 << 20);
    afterKill.recover(AGENT);
    assertThat(pendingSequences(afterKill)).containsExactly(0L, 1L, 2L, 3L, 4L);
    afterKill.close();

    // a clean stop instead, after batch 0 is acknowledged too: 0 and 1 are a contiguous prefix
    outbox.delete(new OutboxEntry(MS, 0, ENVELOPE));
    outbox.close();
    assertThat(Files.readString(dir.resolve("outbox/ms-qtof-01/acked"))).isEqualTo("1\n");
    Outbox afterStop = new Outbox(dataDir, 1 << 20);
    afterStop.recover(AGENT);
    // 3 was acknowledged above the prefix: sent again, a duplicate the collector drops
    assertThat(pendingSequences(afterStop)).containsExactly(2L, 3L, 4L);
    assertThat(afterStop.pendingBytes()).isEqualTo(3 * ENVELOPE);
    afterStop.close();
  }

  @Test
  void segmentsRollOverAndGoOnceEveryRecordInThemIsAcknowledged() throws IOException {
    // 1,024-byte segments hold four 207-byte records (828); a fifth would make 1,035
    Outbox outbox = new Outbox(dataDir, 1 << 20, 1024);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    seal(outbox, chain, 10);
    assertThat(segmentFiles())
        .containsExactly(
            "00000000000000000000.seg", "00000000000000000004.seg", "00000000000000000008.seg");
    assertThat(outbox.diskBytes()).isEqualTo(10 * RECORD);

    for (long s : new long[] {1, 2, 3, 5, 0}) {
      outbox.delete(new OutboxEntry(MS, s, ENVELOPE));
    }
    assertThat(segmentFiles())
        .containsExactly("00000000000000000004.seg", "00000000000000000008.seg");
    assertThat(outbox.diskBytes()).isEqualTo(6 * RECORD);
    assertThat(outbox.pendingCount()).isEqualTo(5);

    for (long s : new long[] {4, 6, 7, 8, 9}) {
      outbox.delete(new OutboxEntry(MS, s, ENVELOPE));
    }
    // the newest segment holds the chain head and takes the next batches: 414 bytes are kept
    // until it reaches half a segment (512)
    assertThat(segmentFiles()).containsExactly("00000000000000000008.seg");
    assertThat(outbox.pendingCount()).isZero();
    assertThat(outbox.diskBytes()).isEqualTo(2 * RECORD);

    seal(outbox, chain, 1);
    outbox.delete(new OutboxEntry(MS, 10, ENVELOPE));
    assertThat(segmentFiles()).isEmpty();
    assertThat(outbox.diskBytes()).isZero();
    outbox.close();

    Outbox reopened = new Outbox(dataDir, 1 << 20, 1024);
    Map<String, ChainState> states = reopened.recover(AGENT);
    assertThat(reopened.pendingCount()).isZero();
    assertThat(states.get(MS)).isEqualTo(chain.state());
    assertThat(states.get(MS).nextSequence()).isEqualTo(11);
    seal(reopened, chain(reopened, 2, states.get(MS)), 1);
    assertThat(segmentFiles()).containsExactly("00000000000000000011.seg");
    reopened.close();
  }

  @Test
  void batchFilesOfTheEarlierFormatAreMovedIntoTheLog() throws IOException {
    Path old = dir.resolve("outbox/ms-qtof-01");
    Files.createDirectories(old);
    List<SignedBatch> batches = new ArrayList<>();
    BatchHash previous = BatchHash.ZERO;
    for (int s = 0; s < 3; s++) {
      SignedBatch b =
          BatchCodec.sign(
              new org.labmeter.wire.Batch(
                  AGENT,
                  MS,
                  1,
                  s,
                  previous,
                  CLOCK.millis(),
                  org.labmeter.wire.Batch.CLOCK_OFFSET_UNKNOWN,
                  List.of(Sample.power(1_000_000L + s * 1000, 1500, 10))),
              signer);
      previous = b.hash();
      batches.add(b);
      Files.write(old.resolve(String.format("%020d.lmb", s)), b.envelope());
    }
    Files.write(old.resolve("00000000000000000003.lmb"), new byte[] {'L', 'M', 'T', 'B', 1, 0});
    Files.write(old.resolve("00000000000000000004.lmb.tmp"), new byte[] {'L', 'M'});

    Outbox outbox = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = outbox.recover(AGENT);

    assertThat(states.get(MS)).isEqualTo(ChainState.after(batches.get(2)));
    assertThat(pendingSequences(outbox)).containsExactly(0L, 1L, 2L);
    for (int s = 0; s < 3; s++) {
      assertThat(outbox.read(outbox.next(MS, s - 1).orElseThrow()))
          .isEqualTo(batches.get(s).envelope());
    }
    try (var files = Files.list(old)) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted())
          .containsExactly("00000000000000000000.seg", "corrupt");
    }
    assertThat(old.resolve("corrupt/00000000000000000003.lmb")).exists();
    outbox.close();

    // an import interrupted after the log was synced: the files it left are not imported twice
    Files.write(old.resolve("00000000000000000002.lmb"), batches.get(2).envelope());
    Outbox again = new Outbox(dataDir, 1 << 20);
    again.recover(AGENT);
    assertThat(pendingSequences(again)).containsExactly(0L, 1L, 2L);
    assertThat(old.resolve("00000000000000000002.lmb")).doesNotExist();
    again.close();
  }

  @Test
  void theStateFileCarriesTheChainWhenEverythingWasAcknowledged() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    seal(outbox, chain, 3);
    for (long s = 0; s < 3; s++) {
      outbox.delete(new OutboxEntry(MS, s, ENVELOPE));
    }
    outbox.close();

    Outbox reopened = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = reopened.recover(AGENT);

    assertThat(reopened.pendingCount()).isZero();
    assertThat(states.get(MS)).isEqualTo(chain.state());
    assertThat(Files.readString(dataDir.chainStateFile(MS)))
        .isEqualTo(
            "sequence=2\nhash="
                + chain.state().previousHash().toHex()
                + "\nlastSampleMillis="
                + chain.state().lastSampleMillis()
                + "\n");
    reopened.close();
  }

  @Test
  void theNewestRecordWinsOverAnOlderStateFile() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    seal(outbox, chain, 2);
    byte[] stateAfterTwo = Files.readAllBytes(dataDir.chainStateFile(MS));
    SignedBatch third = seal(outbox, chain, 1).get(0);
    outbox.close();
    // killed after the outbox write of batch 2, before its state write
    Files.write(dataDir.chainStateFile(MS), stateAfterTwo);

    Map<String, ChainState> states = new Outbox(dataDir, 1 << 20).recover(AGENT);

    assertThat(states.get(MS).nextSequence()).isEqualTo(3);
    assertThat(states.get(MS).previousHash()).isEqualTo(third.hash());
  }

  @Test
  void aGarbledStateFileRefusesToGuess() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    seal(outbox, chain(outbox, 1, ChainState.INITIAL), 1);
    outbox.close();
    Files.writeString(dataDir.chainStateFile(MS), "sequence=zero\n");

    assertThatThrownBy(() -> new Outbox(dataDir, 1 << 20).recover(AGENT))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dataDir.chainStateFile(MS) + " is not a chain state");
  }

  @Test
  void isFullAtTheQuota() throws IOException {
    Outbox outbox = new Outbox(dataDir, 64 * 1024);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    // 1000 samples: 26 bytes each plus header and signature, about 26 kB per batch
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      samples.add(Sample.power(1_000_000 + i * 1000L, 100, 1));
    }
    chain.seal(samples);
    chain.seal(
        samples.stream().map(s -> Sample.power(s.timestampMillis() + 1_000_000, 1, 1)).toList());
    assertThat(outbox.isFull()).isFalse();
    OutboxEntry third =
        chain.seal(
            samples.stream()
                .map(s -> Sample.power(s.timestampMillis() + 2_000_000, 1, 1))
                .toList());
    assertThat(outbox.isFull()).isTrue();

    outbox.delete(third);
    assertThat(outbox.isFull()).isFalse();
    outbox.close();
  }

  @Test
  void chainLinksEachBatchToTheOneBefore() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    List<SignedBatch> written = seal(outbox, chain(outbox, 7, ChainState.INITIAL), 3);

    SignedBatch b0 = written.get(0);
    SignedBatch b1 = written.get(1);
    SignedBatch b2 = written.get(2);
    assertThat(b0.batch().previousHash()).isEqualTo(BatchHash.ZERO);
    assertThat(b1.batch().previousHash()).isEqualTo(b0.hash());
    assertThat(b2.batch().previousHash()).isEqualTo(b1.hash());
    assertThat(List.of(b0, b1, b2))
        .allSatisfy(b -> assertThat(b.verify(signer.publicKey())).isTrue());
    assertThat(b2.batch().epoch()).isEqualTo(7);
    outbox.close();
  }

  private BatchChain chain(Outbox outbox, long epoch, ChainState state) {
    return new BatchChain(AGENT, MS, epoch, signer, outbox, CLOCK, state);
  }

  private long nextTs = 1_772_445_600_000L;

  /** Seals batches of two samples and returns them as read back from the outbox. */
  private List<SignedBatch> seal(Outbox outbox, BatchChain chain, int batches) throws IOException {
    List<SignedBatch> out = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      List<Sample> samples =
          List.of(Sample.power(nextTs, 1500, 10), Sample.power(nextTs + 1000, 1510, 10.001));
      nextTs += 2000;
      out.add(decode(outbox.read(chain.seal(samples))));
    }
    return out;
  }

  private static List<Long> pendingSequences(Outbox outbox) {
    List<Long> out = new ArrayList<>();
    long after = -1;
    for (var e = outbox.next(MS, after); e.isPresent(); e = outbox.next(MS, after)) {
      after = e.get().sequence();
      out.add(after);
    }
    return out;
  }

  private List<String> segmentFiles() throws IOException {
    try (var files = Files.list(dir.resolve("outbox/ms-qtof-01"))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".seg"))
          .sorted()
          .toList();
    }
  }

  private static SignedBatch decode(byte[] envelope) {
    DecodeResult result = BatchCodec.decode(envelope);
    assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
    return ((DecodeResult.Decoded) result).signedBatch();
  }
}
