package org.labmeter.adapters.profile;

import java.util.List;

/**
 * A profile file that cannot be used. The message lists every problem, one per line, each as {@code
 * <source>: <field path>: <problem>; allowed: <values>}.
 */
public final class ProfileFileException extends RuntimeException {
  private final String source;
  private final List<String> problems;

  public ProfileFileException(String source, List<String> problems) {
    super(format(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The file name or resource the profile came from. */
  public String source() {
    return source;
  }

  public List<String> problems() {
    return problems;
  }

  private static String format(String source, List<String> problems) {
    StringBuilder sb = new StringBuilder();
    for (String p : problems) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(source).append(": ").append(p);
    }
    return sb.toString();
  }
}
