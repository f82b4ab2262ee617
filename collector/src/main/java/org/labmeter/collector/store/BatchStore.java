package org.labmeter.collector.store;

import java.util.List;

/**
 * Where accepted batches go. One call is one durable write: when it returns, every batch in it is
 * stored; when it throws, the caller must treat none of them as stored (a store may have kept some,
 * and a resend lands once thanks to the dedup keys). Blocking: call it from a worker thread.
 */
public interface BatchStore {

  /** Writes the samples and the batch record of every batch, in one request. */
  void write(List<BatchWrite> batches) throws StoreWriteException;
}
