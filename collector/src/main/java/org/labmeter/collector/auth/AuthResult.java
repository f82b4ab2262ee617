package org.labmeter.collector.auth;

import java.util.Locale;
import java.util.Objects;

/** The answer to a CONNECT: the agent it proved to be, or why not. */
public sealed interface AuthResult {

  record Granted(AgentRecord agent) implements AuthResult {
    public Granted {
      Objects.requireNonNull(agent, "agent");
    }
  }

  record Refused(Reason reason, String agentId) implements AuthResult {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why a connection was refused; only the directory outage is not the client's fault. */
  enum Reason {
    UNKNOWN_AGENT,
    DISABLED,
    MISSING_CREDENTIAL,
    BAD_CREDENTIAL,
    DIRECTORY_UNAVAILABLE;

    /** The metric tag. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
