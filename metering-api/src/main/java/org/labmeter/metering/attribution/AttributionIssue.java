package org.labmeter.metering.attribution;

/**
 * Something wrong or notable about one input session, reported as a value so that one bad row never
 * stops the rest of the window from being attributed.
 *
 * @param row the session's index in the input list (0-based)
 * @param sessionId the session's id
 * @param field the field at fault ({@code "end"}, {@code "start"}, ...)
 * @param code what is wrong
 * @param message a sentence naming the row, the field and the values
 */
public record AttributionIssue(int row, String sessionId, String field, Code code, String message) {

  /** What is wrong, and what the engine did about it. */
  public enum Code {
    /** The end lies before the start; the session is left out. */
    END_BEFORE_START(true),
    /** The session lies wholly outside the window; it is left out. */
    OUTSIDE_WINDOW(true),
    /** Part of the session lies outside the window; only the part inside is attributed. */
    CLIPPED_TO_WINDOW(false),
    /** The session overlaps another of the same kind; both are kept, ACTIVE time is not shared. */
    OVERLAPS_SAME_KIND(false);

    private final boolean dropsSession;

    Code(boolean dropsSession) {
      this.dropsSession = dropsSession;
    }

    /** Whether the session is left out of the attribution. */
    public boolean dropsSession() {
      return dropsSession;
    }
  }
}
