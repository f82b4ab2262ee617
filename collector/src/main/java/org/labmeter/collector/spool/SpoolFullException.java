package org.labmeter.collector.spool;

/** An append that would take the spool past its bound; nothing of it was written. */
public final class SpoolFullException extends Exception {
  private static final long serialVersionUID = 1L;

  SpoolFullException(long depthBytes, long appendBytes, long maxBytes) {
    super(
        "spool full: "
            + depthBytes
            + " bytes waiting for replay, "
            + appendBytes
            + " more would pass the bound of "
            + maxBytes);
  }
}
