package org.labmeter.agent.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
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

  @TempDir Path dir;
  private DataDir dataDir;
  private Ed25519Signer signer;

  @BeforeEach
  void setUp() {
    dataDir = new DataDir(dir);
    signer = Ed25519Signer.fromSeed(new byte[32]);
  }

  @Test
  void writesRecoversAndDeletes() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    List<OutboxEntry> written = seal(chain, 3);

    assertThat(written.get(0).file())
        .isEqualTo(dir.resolve("outbox/ms-qtof-01/00000000000000000000.lmb"));
    assertThat(outbox.pendingCount()).isEqualTo(3);

    Outbox reopened = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = reopened.recover(AGENT);

    SignedBatch newest = decode(written.get(2).file());
    assertThat(states).containsOnlyKeys(MS);
    assertThat(states.get(MS))
        .isEqualTo(new ChainState(3, newest.hash(), newest.batch().lastTimestampMillis()));
    assertThat(reopened.pendingCount()).isEqualTo(3);
    assertThat(reopened.pendingBytes()).isEqualTo(3L * newest.envelopeLength());
    assertThat(reopened.next(MS, -1)).map(OutboxEntry::sequence).contains(0L);

    assertThat(reopened.delete(reopened.next(MS, -1).orElseThrow())).isTrue();
    assertThat(written.get(0).file()).doesNotExist();
    assertThat(reopened.pendingCount()).isEqualTo(2);
    assertThat(reopened.next(MS, -1)).map(OutboxEntry::sequence).contains(1L);
    assertThat(reopened.next(MS, 2)).isEmpty();
    // a second PUBACK for the same batch is harmless
    assertThat(reopened.delete(written.get(0))).isFalse();
    assertThat(reopened.pendingCount()).isEqualTo(2);
  }

  @Test
  void aHalfWrittenTempFileIsIgnoredAndRemoved() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    List<OutboxEntry> written = seal(chain(outbox, 1, ChainState.INITIAL), 2);
    // a crash while writing batch 2: only part of its temp file reached the disk
    byte[] whole = Files.readAllBytes(written.get(1).file());
    Path temp = dir.resolve("outbox/ms-qtof-01/00000000000000000002.lmb.tmp");
    Files.write(temp, Arrays.copyOf(whole, whole.length / 2));

    Outbox reopened = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = reopened.recover(AGENT);

    assertThat(temp).doesNotExist();
    assertThat(reopened.pendingCount()).isEqualTo(2);
    assertThat(states.get(MS).nextSequence()).isEqualTo(2);
    assertThat(states.get(MS).previousHash()).isEqualTo(decode(written.get(1).file()).hash());
  }

  @Test
  void anOutboxFileNewerThanTheStateFileWins() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    seal(chain, 2);
    byte[] stateAfterTwo = Files.readAllBytes(dataDir.chainStateFile(MS));
    List<OutboxEntry> third = seal(chain, 1);
    // killed after the outbox write of batch 2, before its state write
    Files.write(dataDir.chainStateFile(MS), stateAfterTwo);

    Map<String, ChainState> states = new Outbox(dataDir, 1 << 20).recover(AGENT);

    assertThat(states.get(MS).nextSequence()).isEqualTo(3);
    assertThat(states.get(MS).previousHash()).isEqualTo(decode(third.get(0).file()).hash());
  }

  @Test
  void theStateFileCarriesTheChainWhenEverythingWasAcknowledged() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    List<OutboxEntry> written = seal(chain, 3);
    for (OutboxEntry entry : written) {
      outbox.delete(entry);
    }

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
  }

  @Test
  void aCorruptOutboxFileIsQuarantinedWithoutForkingTheChain() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    BatchChain chain = chain(outbox, 1, ChainState.INITIAL);
    List<OutboxEntry> written = seal(chain, 3);
    Files.write(written.get(2).file(), new byte[] {'L', 'M', 'T', 'B', 1, 0, 9});

    Outbox reopened = new Outbox(dataDir, 1 << 20);
    Map<String, ChainState> states = reopened.recover(AGENT);

    assertThat(dir.resolve("outbox/ms-qtof-01/corrupt/00000000000000000002.lmb")).exists();
    assertThat(reopened.pendingCount()).isEqualTo(2);
    // the state file still knows batch 2 was sealed: the chain continues at 3, not at 2
    assertThat(states.get(MS)).isEqualTo(chain.state());
  }

  @Test
  void aGarbledStateFileRefusesToGuess() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    seal(chain(outbox, 1, ChainState.INITIAL), 1);
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
    List<Sample> samples = new java.util.ArrayList<>();
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
  }

  @Test
  void chainLinksEachBatchToTheOneBefore() throws IOException {
    Outbox outbox = new Outbox(dataDir, 1 << 20);
    List<OutboxEntry> written = seal(chain(outbox, 7, ChainState.INITIAL), 3);

    SignedBatch b0 = decode(written.get(0).file());
    SignedBatch b1 = decode(written.get(1).file());
    SignedBatch b2 = decode(written.get(2).file());
    assertThat(b0.batch().previousHash()).isEqualTo(BatchHash.ZERO);
    assertThat(b1.batch().previousHash()).isEqualTo(b0.hash());
    assertThat(b2.batch().previousHash()).isEqualTo(b1.hash());
    assertThat(List.of(b0, b1, b2))
        .allSatisfy(b -> assertThat(b.verify(signer.publicKey())).isTrue());
    assertThat(b2.batch().epoch()).isEqualTo(7);
  }

  private BatchChain chain(Outbox outbox, long epoch, ChainState state) {
    return new BatchChain(AGENT, MS, epoch, signer, outbox, CLOCK, state);
  }

  private long nextTs = 1_772_445_600_000L;

  private List<OutboxEntry> seal(BatchChain chain, int batches) throws IOException {
    List<OutboxEntry> out = new java.util.ArrayList<>();
    for (int i = 0; i < batches; i++) {
      List<Sample> samples =
          List.of(Sample.power(nextTs, 1500, 10), Sample.power(nextTs + 1000, 1510, 10.001));
      nextTs += 2000;
      out.add(chain.seal(samples));
    }
    return out;
  }

  private static SignedBatch decode(Path file) throws IOException {
    DecodeResult result = BatchCodec.decode(Files.readAllBytes(file));
    assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
    return ((DecodeResult.Decoded) result).signedBatch();
  }
}
