package org.labmeter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void telemetryTopicRoundTrips() {
    String topic = Topics.telemetry("agent-1", "nmr.600");
    assertThat(topic).isEqualTo("labmeter/v1/agent-1/nmr.600/telemetry");
    assertThat(Topics.parseTelemetry(topic))
        .contains(new Topics.TelemetryTopic("agent-1", "nmr.600"));
    assertThat(Topics.parseStatus(Topics.status("agent-1"))).contains("agent-1");
  }

  @Test
  void foreignOrWildcardTopicsDoNotParse() {
    assertThat(Topics.parseTelemetry("labmeter/v1/+/nmr/telemetry")).isEmpty();
    assertThat(Topics.parseTelemetry("labmeter/v1/a/b/c/telemetry")).isEmpty();
    assertThat(Topics.parseTelemetry("other/v1/a/b/telemetry")).isEmpty();
    assertThat(Topics.parseTelemetry("")).isEmpty();
    assertThatThrownBy(() -> Topics.telemetry("a/b", "x"))
        .hasMessageContaining("agentId must be 1..64 characters");
  }
}
