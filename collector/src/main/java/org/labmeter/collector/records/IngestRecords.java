package org.labmeter.collector.records;

import org.labmeter.collector.verify.QuarantinedPayload;

/**
 * Where the collector keeps what is not evidence but must be inspectable: refused payloads (the
 * quarantine) and agents' online/offline messages. Calls come from worker threads and must not
 * block for long; an implementation queues and writes elsewhere.
 */
public interface IngestRecords {

  /** Keeps nothing. */
  IngestRecords NONE =
      new IngestRecords() {
        @Override
        public void quarantined(QuarantinedPayload payload) {}

        @Override
        public void status(AgentStatus status) {}
      };

  void quarantined(QuarantinedPayload payload);

  void status(AgentStatus status);
}
