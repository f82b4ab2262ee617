package org.labmeter.metering.live;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One connected feed reader. The hub hands it events from its own thread; the writes run on the
 * connection's event loop. Events not yet written to the socket are counted, and a client with more
 * than the limit outstanding is too slow: it is closed rather than left to hold memory.
 *
 * @param visibilityKey clients with the same key see the same instruments, so an event is built
 *     once per key
 */
public final class LiveClient {
  private final HttpServerResponse response;
  private final Context context;
  private final String visibilityKey;
  private final Predicate<String> canReadFacility;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  public LiveClient(
      HttpServerResponse response,
      Context context,
      String visibilityKey,
      Predicate<String> canReadFacility) {
    this.response = response;
    this.context = context;
    this.visibilityKey = visibilityKey;
    this.canReadFacility = canReadFacility;
  }

  String visibilityKey() {
    return visibilityKey;
  }

  boolean canRead(String facilityId) {
    return canReadFacility.test(facilityId);
  }

  boolean closed() {
    return closed.get();
  }

  /**
   * Queues {@code event}; false (and the connection closed) when more than {@code limit} events are
   * still waiting for the socket.
   */
  boolean send(Buffer event, int limit) {
    if (closed.get()) {
      return false;
    }
    if (outstanding.incrementAndGet() > limit) {
      close();
      return false;
    }
    context.runOnContext(
        v -> {
          if (closed.get()) {
            return;
          }
          response.write(event).onComplete(ar -> outstanding.decrementAndGet());
        });
    return true;
  }

  void close() {
    if (closed.compareAndSet(false, true)) {
      context.runOnContext(v -> response.reset());
    }
  }

  /** Marks the client gone after its connection closed. */
  void closedByPeer() {
    closed.set(true);
  }
}
