package org.labmeter.agent.pipeline;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The life of one device poller's thread (a Modbus bus, a serial port): started once, stopped once,
 * and the loop on it asks {@link #running()} between requests. {@link #stop()} wakes a parked loop
 * and completes when the thread has ended.
 */
public final class PollerThread {
  private final String name;
  private final Runnable loop;
  private Thread thread;
  private volatile boolean running;
  private CompletableFuture<Void> stopped;

  /**
   * @param name the thread's name, e.g. {@code labmeter-modbus-<bus>}
   * @param loop the polling loop; it returns once {@link #running()} turns false
   */
  public PollerThread(String name, Runnable loop) {
    this.name = name;
    this.loop = loop;
  }

  public boolean running() {
    return running;
  }

  /** Whether {@link #start()} has been called. */
  public synchronized boolean started() {
    return thread != null;
  }

  /** Starts the thread unless it was started or stopped before; completes at once. */
  public synchronized CompletableFuture<Void> start() {
    if (thread == null && stopped == null) {
      running = true;
      thread = new Thread(loop, name);
      thread.setDaemon(true);
      thread.start();
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Ends the loop; completes when the thread has ended. Idempotent. */
  public synchronized CompletableFuture<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    stopped = new CompletableFuture<>();
    running = false;
    if (thread == null) {
      stopped.complete(null);
      return stopped;
    }
    Thread t = thread;
    LockSupport.unpark(t);
    CompletableFuture.runAsync(
        () -> {
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          stopped.complete(null);
        });
    return stopped;
  }
}
