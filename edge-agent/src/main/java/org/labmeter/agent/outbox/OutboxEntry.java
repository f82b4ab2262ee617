package org.labmeter.agent.outbox;

/**
 * One signed batch in the outbox waiting for its acknowledgement.
 *
 * @param instrumentId whose chain it belongs to
 * @param sequence its place in that chain
 * @param sizeBytes envelope size, counted against the outbox quota
 */
public record OutboxEntry(String instrumentId, long sequence, long sizeBytes) {}
