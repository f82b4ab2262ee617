package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void writeBehindWithoutASpoolIsRefusedBeforeAnythingStarts() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status =
          new CommandLine(new LabMeterCli())
              .execute(
                  "serve",
                  "--db",
                  "jdbc:h2:file:" + dir.resolve("registry"),
                  "--questdb-dir",
                  dir.resolve("q").toString(),
                  "--write-behind");
    } finally {
      System.setErr(before);
    }
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--write-behind needs --spool-dir");
    // neither store was opened
    assertThat(Files.exists(dir.resolve("q"))).isFalse();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
