package org.labmeter.launcher;

import java.util.List;
import java.util.concurrent.Callable;
import org.labmeter.collector.store.QuarantineReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    description = {
      "Inspects the payloads the collector refused (bad signature, fork, malformed, ...): they",
      "are kept 30 days in QuestDB's lm_quarantine, never as evidence."
    },
    subcommands = {QuarantineCommand.ListCommand.class})
final class QuarantineCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Newest refusals first.")
  static final class ListCommand implements Callable<Integer> {
    @Option(
        names = "--questdb-http",
        defaultValue = "http://127.0.0.1:9000",
        description = "QuestDB HTTP (default: ${DEFAULT-VALUE})")
    String httpUrl;

    @Option(names = "--agent", description = "only this agent")
    String agent;

    @Option(names = "--reason", description = "only this reason, e.g. bad_signature or fork")
    String reason;

    @Option(names = "--limit", defaultValue = "50", description = "(default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--payload", description = "also print each payload (base64, capped)")
    boolean payload;

    @Override
    public Integer call() throws Exception {
      List<QuarantineReader.Row> rows = new QuarantineReader(httpUrl).newest(agent, reason, limit);
      for (QuarantineReader.Row r : rows) {
        System.out.printf(
            "%s  %-16s %-20s %7d B  %s  %s%n",
            r.receivedAt(), r.agent(), r.reason(), r.payloadBytes(), r.topic(), r.detail());
        if (payload) {
          System.out.println("  " + r.payloadBase64());
        }
      }
      System.out.printf("%d refused payloads shown%n", rows.size());
      return 0;
    }
  }
}
