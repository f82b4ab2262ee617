package org.labmeter.collector.ingest;

import java.util.Iterator;

/**
 * Work that a shard worker may run together with the like work queued right behind it, as one unit:
 * the publishes of a shard are verified one by one but written to the store in one request (one
 * fsync'd commit) instead of one each. {@link #run()} alone is the same as a group of one.
 */
public interface GroupableTask extends Runnable {

  /** Tasks form a group only with tasks whose key is the same object (e.g. the same sink). */
  Object groupKey();

  /** This task's weight toward {@link GroupCommitLimits#maxBytes()}, e.g. its payload size. */
  int groupBytes();

  /**
   * Runs a group as one unit, in queue order. {@code group} yields this task first, then takes
   * further tasks of this task's {@link #groupKey()} from the worker's queue while they are there
   * and the limits allow: tasks that arrive while the first ones are being processed join the
   * group. Must be called on the worker thread that handed out the iterator.
   */
  void runGroup(Iterator<GroupableTask> group);
}
