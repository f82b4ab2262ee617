package org.labmeter.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.outbox.OutboxEntry;

/** Reads what a stopped agent left in its outbox, the way the next start would find it. */
final class OutboxContents {
  private OutboxContents() {}

  /** The pending envelopes of one instrument, oldest first. */
  static List<byte[]> pendingEnvelopes(Path dataDir, String agentId, String instrumentId)
      throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (Outbox outbox = new Outbox(new DataDir(dataDir), Long.MAX_VALUE)) {
      outbox.recover(agentId);
      long after = -1;
      for (Optional<OutboxEntry> e = outbox.next(instrumentId, after);
          e.isPresent();
          e = outbox.next(instrumentId, after)) {
        out.add(outbox.read(e.get()));
        after = e.get().sequence();
      }
    }
    return out;
  }
}
