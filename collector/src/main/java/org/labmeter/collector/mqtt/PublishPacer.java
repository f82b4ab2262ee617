package org.labmeter.collector.mqtt;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Holds one connection's packets to its agent's publish rate. A PUBLISH goes on only with a token
 * from the agent's bucket; without one, it and every packet after it (order is kept) wait here, the
 * connection stops being read, and TCP pushes back on the agent. Nothing is dropped: what waits is
 * only what was already decoded from the socket when reading paused. Used on the channel's event
 * loop only.
 */
final class PublishPacer {
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private final TokenBucket bucket;
  private final EventExecutor loop;
  private final Consumer<Object> dispatch;
  private final Runnable pause;
  private final Runnable resume;
  private final BooleanSupplier closed;
  private boolean waiting;

  /**
   * @param bucket the agent's bucket, or null: every packet goes straight on
   * @param dispatch handles a packet that may go on
   * @param pause called each time a publish has to wait (reading must stop)
   * @param resume called once nothing waits any more
   * @param closed true once the connection is closing: what waits is then dropped
   */
  PublishPacer(
      TokenBucket bucket,
      EventExecutor loop,
      Consumer<Object> dispatch,
      Runnable pause,
      Runnable resume,
      BooleanSupplier closed) {
    this.bucket = bucket;
    this.loop = loop;
    this.dispatch = dispatch;
    this.pause = pause;
    this.resume = resume;
    this.closed = closed;
  }

  void offer(Object packet) {
    if (bucket == null) {
      dispatch.accept(packet);
      return;
    }
    held.add(packet);
    if (!waiting) {
      drain();
    }
  }

  private void drain() {
    waiting = false;
    while (!held.isEmpty()) {
      if (closed.getAsBoolean()) {
        held.clear();
        return;
      }
      if (held.peek() instanceof InboundPublish) {
        long wait = bucket.tryTake(System.nanoTime());
        if (wait > 0) {
          waiting = true;
          pause.run();
          loop.schedule(this::drain, wait, TimeUnit.NANOSECONDS);
          return;
        }
      }
      dispatch.accept(held.poll());
    }
    resume.run();
  }
}
