package org.labmeter.collector.spool;

/**
 * A place in the spool: a segment and a byte offset in it.
 *
 * @param segment the segment's number (its file is {@code segment-<number>.spool})
 * @param offset bytes from the start of that segment
 */
public record SpoolPosition(long segment, long offset) implements Comparable<SpoolPosition> {

  @Override
  public int compareTo(SpoolPosition other) {
    int bySegment = Long.compare(segment, other.segment);
    return bySegment != 0 ? bySegment : Long.compare(offset, other.offset);
  }
}
