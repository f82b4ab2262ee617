package org.labmeter.metering.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode t = null;
        for (int tries = 0; tries < 300 && (t == null || t.isNull()); tries++) {
          t =
              browser.script(
                  "var m = performance.getEntriesByName('labmeter:fleet-rendered');"
                      + " if (!m.length) return null;"
                      + " var n = performance.getEntriesByType('navigation')[0];"
                      + " return {rendered: m[0].startTime, rows: document.querySelectorAll('#rows tr').length,"
                      + " domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd};");
          if (t == null || t.isNull()) {
            Thread.sleep(50);
          }
        }
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
