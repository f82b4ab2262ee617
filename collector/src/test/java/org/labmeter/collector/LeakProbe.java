package org.labmeter.collector;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Makes Netty report the buffers leaked so far. A leak is reported only after the lost buffer was
 * garbage-collected, its reference enqueued, and a later allocation polled the queue. So this leaks
 * a canary into a detector of its own (whose report is kept here, not logged), and collects and
 * allocates until the canary is reported: by then the buffers lost before it, collected in the same
 * full collection, have been reported to {@link LeakLog} as well.
 */
final class LeakProbe {
  private LeakProbe() {}

  /** Waits (at most 10 s) until leaks up to now have been reported. */
  static void flushReports() {
    AtomicBoolean canaryReported = new AtomicBoolean();
    ResourceLeakDetector<Object> canaries =
        new ResourceLeakDetector<>(LeakProbe.class, 1) {
          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            canaryReported.set(true);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            canaryReported.set(true);
          }
        };
    leakCanary(canaries);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              pollBufferLeaks();
              Object probe = new Object();
              canaries.track(probe).close(probe); // polls the canary's queue
              return canaryReported.get();
            });
    pollBufferLeaks();
  }

  private static void leakCanary(ResourceLeakDetector<Object> canaries) {
    canaries.track(new Object()); // never closed; the object is unreachable once this returns
  }

  private static void pollBufferLeaks() {
    for (int i = 0; i < 16; i++) {
      ByteBufAllocator.DEFAULT.buffer(8).release();
    }
  }
}
