package org.labmeter.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A configuration file the agent refuses to start with. The message lists every problem found, one
 * per line, each as {@code <file>: <field path>: <problem>; allowed: <values>}.
 */
public final class ConfigFileException extends RuntimeException {
  private final Path file;
  private final List<String> problems;

  public ConfigFileException(Path file, List<String> problems) {
    super(format(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  public Path file() {
    return file;
  }

  /** Each problem as {@code <field path>: <problem>}, without the file name. */
  public List<String> problems() {
    return problems;
  }

  private static String format(Path file, List<String> problems) {
    StringBuilder out = new StringBuilder();
    for (String problem : problems) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(file).append(": ").append(problem);
    }
    return out.toString();
  }
}
