package org.labmeter.collector.auth;

/** Where a PUBLISH from an authenticated agent may go, as decided by {@link TopicAcl}. */
public sealed interface PublishTarget {

  /** The agent's telemetry topic for one of its bound instruments. */
  record Telemetry(String instrumentId) implements PublishTarget {}

  /** The agent's own status topic (birth and last-will messages). */
  record Status() implements PublishTarget {}

  /** Anything else; the connection is closed. */
  record Denied(String why) implements PublishTarget {}
}
