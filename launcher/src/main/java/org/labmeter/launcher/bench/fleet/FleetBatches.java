package org.labmeter.launcher.bench.fleet;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/**
 * A file of pre-signed envelopes for the fleet benchmark, written once and streamed by the load
 * generator, so that signing never competes with the collector for the CPU during a run. Records
 * are in round-robin order (batch 0 of every agent, then batch 1, ...), which is the order a fleet
 * publishing at one batch per period produces.
 *
 * <p>Layout: {@code "LMFB"}, agents (i32), batches per agent (i32), samples per batch (i32), then
 * per record a u16 length and the envelope.
 */
final class FleetBatches {
  private static final int MAGIC = 0x4c4d4642; // "LMFB"

  record Header(int agents, int batchesPerAgent, int samplesPerBatch) {
    long records() {
      return (long) agents * batchesPerAgent;
    }
  }

  private FleetBatches() {}

  /** Writes the file unless one with the same shape exists. Signs on every core. */
  static Header prepare(
      Path file, int agents, int batchesPerAgent, int samplesPerBatch, PrintStream log)
      throws IOException {
    Header wanted = new Header(agents, batchesPerAgent, samplesPerBatch);
    if (Files.exists(file)) {
      try (DataInputStream in = open(file)) {
        if (readHeader(in).equals(wanted)) {
          log.printf("reusing %s (%d batches)%n", file, wanted.records());
          return wanted;
        }
      } catch (IOException | IllegalArgumentException e) {
        log.printf("rewriting %s: %s%n", file, e.getMessage());
      }
    }
    log.printf(
        "signing %d agents x %d batches of %d samples into %s ...%n",
        agents, batchesPerAgent, samplesPerBatch, file);
    long t0 = System.nanoTime();
    List<FleetAgent> fleet = new ArrayList<>(agents);
    List<Ed25519Signer> keys = new ArrayList<>(agents);
    for (int a = 0; a < agents; a++) {
      fleet.add(FleetAgent.of(a));
      keys.add(fleet.get(a).key());
    }
    BatchHash[] previous = new BatchHash[agents];
    java.util.Arrays.fill(previous, BatchHash.ZERO);
    long periodMillis = samplesPerBatch * 1000L;
    // Sample time: one second apart, ending well before now, so no batch is in the future.
    long base = System.currentTimeMillis() - (batchesPerAgent + 60L) * periodMillis;
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
      out.writeInt(MAGIC);
      out.writeInt(agents);
      out.writeInt(batchesPerAgent);
      out.writeInt(samplesPerBatch);
      for (int k = 0; k < batchesPerAgent; k++) {
        final int seq = k;
        byte[][] row = new byte[agents][];
        IntStream.range(0, agents)
            .parallel()
            .forEach(
                a -> {
                  List<Sample> samples = new ArrayList<>(samplesPerBatch);
                  long first = base + seq * periodMillis;
                  for (int s = 0; s < samplesPerBatch; s++) {
                    long ts = first + s * 1000L;
                    samples.add(Sample.power(ts, 1200 + (ts / 1000 + a) % 300, ts / 3.6e9));
                  }
                  FleetAgent agent = fleet.get(a);
                  SignedBatch signed =
                      BatchCodec.sign(
                          new Batch(
                              agent.agentId(),
                              agent.instrumentId(),
                              1,
                              seq,
                              previous[a],
                              first + periodMillis,
                              Batch.CLOCK_OFFSET_UNKNOWN,
                              samples),
                          keys.get(a));
                  previous[a] = signed.hash();
                  row[a] = signed.envelope();
                });
        for (byte[] envelope : row) {
          out.writeShort(envelope.length);
          out.write(envelope);
        }
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    log.printf(
        "signed %d batches in %.1f s (%.1f MB)%n",
        wanted.records(), (System.nanoTime() - t0) / 1e9, Files.size(file) / 1e6);
    return wanted;
  }

  static DataInputStream open(Path file) throws IOException {
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20));
  }

  static Header readHeader(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IllegalArgumentException("not a fleet batch file");
    }
    return new Header(in.readInt(), in.readInt(), in.readInt());
  }

  /** The next envelope, or null at the end of the file. */
  static byte[] next(DataInputStream in) throws IOException {
    int length;
    try {
      length = in.readUnsignedShort();
    } catch (EOFException e) {
      return null;
    }
    byte[] envelope = new byte[length];
    in.readFully(envelope);
    return envelope;
  }
}
