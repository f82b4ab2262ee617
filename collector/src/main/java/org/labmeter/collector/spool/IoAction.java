package org.labmeter.collector.spool;

import java.io.IOException;

/** A step that may fail with an {@link IOException}. */
@FunctionalInterface
interface IoAction {
  void run() throws IOException;
}
