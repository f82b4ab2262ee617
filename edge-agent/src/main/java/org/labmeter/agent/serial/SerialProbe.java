package org.labmeter.agent.serial;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.labmeter.adapters.serial.ScpiIdentity;
import org.labmeter.adapters.serial.StatusReply;
import org.labmeter.agent.config.SerialLine;
import org.labmeter.agent.config.SerialSource;

/**
 * Queries a serial instrument once for commissioning ({@code labmeter agent probe}): the identity
 * query ({@code *IDN?} for SCPI) with its raw reply and the parsed identity, then the status query
 * with its raw reply and the decoded state, the same way the poller would read it. Publishes
 * nothing; runs on the caller's thread.
 */
public final class SerialProbe {
  private SerialProbe() {}

  /**
   * @param status the decoded status reply, empty when there was no reply at all
   * @param lines what to show the operator
   */
  public record Result(Optional<StatusReply> status, List<String> lines) {
    public Result {
      lines = List.copyOf(lines);
    }

    /** True when the instrument answered with a state the agent can use. */
    public boolean usable() {
      return status.isPresent() && status.get() instanceof StatusReply.Known;
    }
  }

  public static Result probe(SerialSource source) {
    SerialLine line = source.line();
    List<String> out = new ArrayList<>();
    out.add(
        source.type()
            + " on "
            + line.port()
            + " at "
            + line.baudRate()
            + " baud, "
            + line.dataBits()
            + " data bits, parity "
            + line.parity()
            + ", "
            + line.stopBits()
            + " stop bits, flow control "
            + line.flowControl());
    try (SerialLineConnection connection = SerialLineConnection.open(line)) {
      Optional<String> identityQuery = source.identityQuery();
      if (identityQuery.isPresent()) {
        String reply = ask(connection, line, identityQuery.get(), out);
        if (reply != null) {
          Optional<ScpiIdentity> identity = ScpiIdentity.parse(reply);
          out.add(
              identity
                  .map(id -> "  identity: " + id)
                  .orElse("  identity: not a maker,model,serial,firmware reply"));
        }
        pause(line.pauseMillis());
      }
      String reply;
      Optional<String> pollQuery = source.pollQuery();
      if (pollQuery.isPresent()) {
        reply = ask(connection, line, pollQuery.get(), out);
      } else {
        long wait = source.periodMillis() + line.readTimeoutMillis();
        reply = connection.readLine(wait, () -> true);
        out.add("listen for a status line (" + wait + " ms)");
        out.add("  raw reply: " + (reply == null ? "none" : quote(reply)));
      }
      if (reply == null) {
        out.add("  state: UNAVAILABLE (no reply; check port, baud rate, parity and cable)");
        return new Result(Optional.empty(), out);
      }
      StatusReply status = source.parser().parse(reply);
      if (status instanceof StatusReply.Known known) {
        out.add("  state: " + known.status() + " (" + known.detail() + ")");
      } else {
        StatusReply.Unusable u = (StatusReply.Unusable) status;
        out.add("  state: UNAVAILABLE (" + u.reason() + ": " + u.detail() + ")");
      }
      return new Result(Optional.of(status), out);
    } catch (IOException e) {
      out.add("  failed: " + e.getMessage());
      return new Result(Optional.empty(), out);
    }
  }

  private static String ask(
      SerialLineConnection connection, SerialLine line, String query, List<String> out)
      throws IOException {
    connection.send(query);
    String reply = connection.readLine(line.readTimeoutMillis(), () -> true);
    out.add("send " + quote(query));
    out.add(
        "  raw reply: "
            + (reply == null ? "none within " + line.readTimeoutMillis() + " ms" : quote(reply)));
    return reply;
  }

  /** The reply with control characters shown as escapes, so garbage is visible as such. */
  static String quote(String text) {
    StringBuilder b = new StringBuilder("'");
    for (char c : text.toCharArray()) {
      if (c < 0x20 || c == 0x7f || c > 0xff) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }

  private static void pause(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
