package org.labmeter.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;

class TopicAclTest {
  private final AgentRecord agent =
      TestBatches.agent("agent-1", "s", TestBatches.signer(1), "nmr-1", "ms-1");

  private String denial(String topic) {
    PublishTarget target = TopicAcl.classify(agent, topic);
    assertThat(target).isInstanceOf(PublishTarget.Denied.class);
    return ((PublishTarget.Denied) target).why();
  }

  @Test
  void ownTelemetryTopicsOfBoundInstrumentsAndOwnStatusAreAllowed() {
    assertThat(TopicAcl.classify(agent, "labmeter/v1/agent-1/nmr-1/telemetry"))
        .isEqualTo(new PublishTarget.Telemetry("nmr-1"));
    assertThat(TopicAcl.classify(agent, "labmeter/v1/agent-1/ms-1/telemetry"))
        .isEqualTo(new PublishTarget.Telemetry("ms-1"));
    assertThat(TopicAcl.classify(agent, "labmeter/v1/agent-1/status"))
        .isEqualTo(new PublishTarget.Status());
  }

  @Test
  void everythingElseIsDeniedWithAReason() {
    assertThat(denial("labmeter/v1/agent-2/nmr-1/telemetry"))
        .isEqualTo("telemetry topic of another agent");
    assertThat(denial("labmeter/v1/agent-1/sem-1/telemetry"))
        .isEqualTo("instrument not bound to this agent");
    assertThat(denial("labmeter/v1/agent-2/status")).isEqualTo("status topic of another agent");
    assertThat(denial("labmeter/v1/+/nmr-1/telemetry")).isEqualTo("wildcard in a publish topic");
    assertThat(denial("labmeter/v1/agent-1/#")).isEqualTo("wildcard in a publish topic");
    assertThat(denial("")).isEqualTo("empty topic");
    assertThat(denial("labmeter/v1/agent-1/nmr-1/telemetry/extra"))
        .isEqualTo("not a LabMeter topic");
    assertThat(denial("other/topic")).isEqualTo("not a LabMeter topic");
  }
}
