package org.labmeter.launcher.server;

import java.nio.file.Path;

/** Where the time-series store is: QuestDB in this process, or an external QuestDB. */
public sealed interface StoreLocation {

  /**
   * QuestDB started in this process with its data under {@code dir}.
   *
   * @param httpPort HTTP (writes, SQL, console), 0 for a free port
   * @param pgPort PostgreSQL wire (reads), 0 for a free port
   */
  record Embedded(Path dir, int httpPort, int pgPort) implements StoreLocation {}

  /**
   * A QuestDB server run elsewhere.
   *
   * @param httpUrl e.g. {@code http://questdb:9000}, where the collector writes
   * @param pgJdbcUrl e.g. {@code jdbc:postgresql://questdb:8812/qdb}, where the API reads
   */
  record External(String httpUrl, String pgJdbcUrl, String pgUser, String pgPassword)
      implements StoreLocation {}
}
