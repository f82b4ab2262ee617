package org.labmeter.agent.pipeline;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.IntSupplier;
import org.labmeter.agent.outbox.ChainState;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.outbox.OutboxEntry;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrument's hash chain: seals samples into the next signed batch, links it to the one
 * before, and makes it durable in the outbox before anyone else sees it. The chain advances only
 * once the batch is on disk, so a failed write leaves no hole and no fork, just samples that were
 * never sealed.
 *
 * <p>Confined to the agent's scheduler thread.
 */
public final class BatchChain {
  private static final Logger log = LoggerFactory.getLogger(BatchChain.class);

  private final String agentId;
  private final String instrumentId;
  private final long epoch;
  private final Ed25519Signer signer;
  private final Outbox outbox;
  private final Clock clock;
  private final IntSupplier clockOffset;
  private ChainState state;

  public BatchChain(
      String agentId,
      String instrumentId,
      long epoch,
      Ed25519Signer signer,
      Outbox outbox,
      Clock clock,
      ChainState recovered) {
    this(
        agentId,
        instrumentId,
        epoch,
        signer,
        outbox,
        clock,
        () -> Batch.CLOCK_OFFSET_UNKNOWN,
        recovered);
  }

  /**
   * @param clockOffset the measured offset each new batch carries, or {@link
   *     Batch#CLOCK_OFFSET_UNKNOWN}
   */
  public BatchChain(
      String agentId,
      String instrumentId,
      long epoch,
      Ed25519Signer signer,
      Outbox outbox,
      Clock clock,
      IntSupplier clockOffset,
      ChainState recovered) {
    this.agentId = agentId;
    this.instrumentId = instrumentId;
    this.epoch = epoch;
    this.signer = signer;
    this.outbox = outbox;
    this.clock = clock;
    this.clockOffset = clockOffset;
    this.state = recovered;
  }

  /**
   * Signs the samples as the next batch, writes it to the outbox, then records the chain state.
   *
   * @throws IOException when the outbox write fails; the chain has not advanced
   */
  public OutboxEntry seal(List<Sample> samples) throws IOException {
    Batch batch =
        new Batch(
            agentId,
            instrumentId,
            epoch,
            state.nextSequence(),
            state.previousHash(),
            clock.millis(),
            clockOffset.getAsInt(),
            samples);
    SignedBatch signed = BatchCodec.sign(batch, signer);
    OutboxEntry entry = outbox.write(signed);
    state = ChainState.after(signed);
    try {
      outbox.saveChainState(instrumentId, state);
    } catch (IOException e) {
      // The outbox file just written is newer than the state file, and recovery takes the later.
      log.warn(
          "agent {} instrument {}: cannot record chain state after batch {}: {}",
          agentId,
          instrumentId,
          batch.sequence(),
          e.toString());
    }
    return entry;
  }

  public ChainState state() {
    return state;
  }
}
