package org.labmeter.agent.outbox;

import java.nio.file.Path;

/**
 * One signed batch on disk waiting for its acknowledgement.
 *
 * @param instrumentId whose chain it belongs to
 * @param sequence its place in that chain
 * @param file {@code outbox/<instrument>/<sequence, 20 digits>.lmb}
 * @param sizeBytes envelope size, counted against the outbox quota
 */
public record OutboxEntry(String instrumentId, long sequence, Path file, long sizeBytes) {}
