package org.labmeter.collector.ingest;

/**
 * Runs work for an agent in submission order, off the network threads, with a bounded backlog.
 * {@link ShardedExecutor} is the implementation; the interface lets connection tests run the work
 * inline.
 */
public interface ShardDispatcher {

  /** The answer to {@link #submit}. */
  enum Admission {
    /** Queued. */
    ACCEPTED,
    /**
     * Queued, but the backlog reached its limit: stop reading from the connection; {@code
     * resumeReading} runs once the backlog has drained.
     */
    PAUSE_READING,
    /** Not queued: the backlog is full even beyond the pause margin, or the dispatcher stopped. */
    REFUSED
  }

  /**
   * @param agentId selects the worker; all work of one agent runs on the same one, in order
   * @param task the work
   * @param resumeReading called from the worker thread after a {@link Admission#PAUSE_READING}
   */
  Admission submit(String agentId, Runnable task, Runnable resumeReading);
}
