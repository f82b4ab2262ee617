package org.labmeter.agent.publish;

import java.nio.charset.StandardCharsets;

/**
 * The retained payloads on {@code labmeter/v1/<agent>/status}: the birth message after each connect
 * and the last will the broker publishes when the agent vanishes, so the live view can tell an
 * offline agent from an idle instrument.
 */
public final class StatusMessage {
  private StatusMessage() {}

  public static byte[] online(long epoch, long nowMillis) {
    return json("online", epoch, nowMillis);
  }

  /**
   * The last will. Its time is when the agent connected, because the broker sends it later, as is.
   */
  public static byte[] offline(long epoch, long nowMillis) {
    return json("offline", epoch, nowMillis);
  }

  private static byte[] json(String state, long epoch, long nowMillis) {
    return ("{\"state\":\"" + state + "\",\"epoch\":" + epoch + ",\"ts\":" + nowMillis + "}")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
