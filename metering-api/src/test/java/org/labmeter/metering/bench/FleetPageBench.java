package org.labmeter.metering.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.labmeter.metering.dashboard.HeadlessChromium;

/**
 * Loads the dashboard in headless Chromium {@code runs} times and prints, per run, when the fleet
 * table was first filled (the page's "labmeter:fleet-rendered" mark, milliseconds since navigation
 * start) with the navigation timing.
 *
 * <p>Arguments: base URL, runs (5).
 */
public final class FleetPageBench {
  private FleetPageBench() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String fragment = args.length > 2 ? "#token=" + args[2] : "#/";
    try (HeadlessChromium browser = new HeadlessChromium(1400, 900)) {
      for (int r = 0; r < runs; r++) {
        browser.open(base + "/?run=" + r + fragment);
        // the page marks the moment its table is filled; the timing is the page's own, polling
        // only fetches it
        JsonNode t =
            await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(
                    () ->
                        browser.script(
                            "var m = performance.getEntriesByName('labmeter:fleet-rendered');"
                                + " if (!m.length) return null;"
                                + " var n = performance.getEntriesByType('navigation')[0];"
                                + " return {rendered: m[0].startTime, rows:"
                                + " document.querySelectorAll('#rows tr').length,"
                                + " domContentLoaded: n.domContentLoadedEventEnd, load:"
                                + " n.loadEventEnd};"),
                    node -> node != null && !node.isNull());
        System.out.printf(
            "run %d: %d rows rendered at %.0f ms after navigation start (DOMContentLoaded %.0f ms,"
                + " load %.0f ms)%n",
            r,
            t.get("rows").asInt(),
            t.get("rendered").asDouble(),
            t.get("domContentLoaded").asDouble(),
            t.get("load").asDouble());
      }
    }
  }
}
