package org.labmeter.collector.spool;

import java.util.List;
import org.labmeter.collector.store.BatchWrite;

/**
 * The oldest records of the spool, read for one replay request.
 *
 * @param batches the batches to write again, in the order they were spooled
 * @param end the position just past the last record read; {@link DiskSpool#markDone} takes it
 * @param records how many records were read (a record whose envelope no longer decodes is skipped
 *     and not in {@code batches}, but counts here)
 * @param bytes their size on disk, framing included
 */
public record SpoolSlice(List<BatchWrite> batches, SpoolPosition end, int records, long bytes) {

  public SpoolSlice {
    batches = List.copyOf(batches);
  }
}
