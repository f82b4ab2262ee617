package org.labmeter.collector.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AgentStatusTest {
  @Test
  void birthAndWillAsTheAgentSendsThem() {
    assertThat(
            AgentStatus.parse(
                "a-1",
                "{\"state\":\"online\",\"epoch\":7,\"ts\":1704067200000}"
                    .getBytes(StandardCharsets.UTF_8),
                42))
        .contains(new AgentStatus("a-1", "online", 7, 1_704_067_200_000L, 42));
    assertThat(
            AgentStatus.parse(
                "a-1",
                "{\"state\":\"offline\",\"epoch\":7,\"ts\":5}".getBytes(StandardCharsets.UTF_8),
                43))
        .contains(new AgentStatus("a-1", "offline", 7, 5, 43));
  }

  @Test
  void anythingElseIsRefused() {
    for (String bad :
        new String[] {
          "",
          "online",
          "[]",
          "{\"state\":\"asleep\",\"epoch\":1,\"ts\":1}",
          "{\"state\":\"online\",\"ts\":1}",
          "{\"state\":\"online\",\"epoch\":\"x\",\"ts\":1}",
          "{\"state\":\"online\",\"epoch\":1,\"ts\":1"
        }) {
      assertThat(AgentStatus.parse("a-1", bad.getBytes(StandardCharsets.UTF_8), 1))
          .as(bad)
          .isEmpty();
    }
  }
}
