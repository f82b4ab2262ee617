package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentConfigLoader;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;
import picocli.CommandLine;

/** {@code labmeter agent simulate} writes a configuration the agent's own loader accepts. */
class AgentSimulateCommandTest {
  @TempDir Path dir;

  private AgentSimulateCommand parse(String... args) {
    AgentSimulateCommand command = new AgentSimulateCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void theWrittenConfigurationLoadsWithEveryInstrumentAsGiven() throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "s3cret\n");
    AgentSimulateCommand command =
        parse(
            "--agent-id", "sim-1",
            "--uri", "tcp://127.0.0.1:18830",
            "--password-file", password.toString(),
            "--data-dir", dir.resolve("data").toString(),
            "--instrument", "ms-1=mass-spectrometer:7",
            "--instrument", "nmr-2=nmr",
            "--pace", "compressed",
            "--backfill-seconds", "600");

    AgentConfig loaded = AgentConfigLoader.load(command.writeConfig());

    assertThat(loaded.instruments()).hasSize(2);
    SimulatedSource ms = (SimulatedSource) loaded.instruments().get(0).source();
    assertThat(loaded.instruments().get(0).id()).isEqualTo("ms-1");
    assertThat(ms.kind()).isEqualTo(SimulatorKind.fromConfigName("mass-spectrometer").get());
    assertThat(ms.seed()).isEqualTo(7);
    assertThat(ms.pace()).isEqualTo(Pace.COMPRESSED);
    SimulatedSource nmr = (SimulatedSource) loaded.instruments().get(1).source();
    assertThat(nmr.seed()).isEqualTo(1);
  }

  @Test
  void anUnknownKindOrPaceIsRefusedNamingWhatIsAllowed() {
    List<String> base =
        List.of("--agent-id", "sim-1", "--password-file", "pw", "--data-dir", dir.toString());
    AgentSimulateCommand kind = parse(concat(base, "--instrument", "x-1=toaster"));
    assertThatThrownBy(kind::writeConfig)
        .hasMessageContaining("toaster")
        .hasMessageContaining("mass-spectrometer");
    AgentSimulateCommand pace = parse(concat(base, "--instrument", "x-1=nmr", "--pace", "fast"));
    assertThatThrownBy(pace::writeConfig).hasMessageContaining("--pace");
  }

  private static String[] concat(List<String> base, String... more) {
    String[] out = base.toArray(new String[base.size() + more.length]);
    System.arraycopy(more, 0, out, base.size(), more.length);
    return out;
  }
}
