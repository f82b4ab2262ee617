package org.labmeter.metering.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.http.MeteringApi;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerTotals;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;

/**
 * The dashboard in Debian's headless Chromium against the real API. Simulated agents report once a
 * second: nmr-1 runs at 1,200 W, xrd-1 idles at 100 W, sem-1 never reports. Screenshots go to
 * target/dashboard/.
 */
class DashboardBrowserTest {
  static final Path SHOTS = Path.of("target", "dashboard");
  static final DerivationProfile PROFILE =
      DerivationProfile.create(
          b ->
              b.offBelowW(10)
                  .onThresholdW(800)
                  .offThresholdW(500)
                  .minOn(Duration.ZERO)
                  .minOff(Duration.ZERO)
                  .maxSampleGap(Duration.ofSeconds(30)));

  static RelationalStore store;
  static MeteringApi api;
  static HeadlessChromium browser;
  static final SimulatedFleet samples = new SimulatedFleet();
  static final Map<String, Double> power = new ConcurrentHashMap<>();
  static ScheduledExecutorService agents;

  /** A staff token of inst-a: the page sends it with every API call. */
  static String token;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(HeadlessChromium.available(), "needs Debian's chromium and chromium-driver");
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    Registry registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    registry.addInstrument(
        new Instrument("nmr-1", "inst-a", "NMR 600", "核磁共振波谱仪", "X600", "A-001"), PROFILE, from);
    registry.addInstrument(
        new Instrument("xrd-1", "inst-a", "X-ray diffractometer", "X射线衍射仪", "D8", "A-002"),
        PROFILE,
        from);
    registry.addInstrument(
        new Instrument("sem-1", "inst-a", "Scanning electron microscope", "扫描电镜", "S-4800", "A-3"),
        PROFILE,
        from);
    // today's ledger row of nmr-1: 2 h ACTIVE, all of it verified
    token =
        new TokenStore(store.dataSource()).create(Role.FACILITY_STAFF, "inst-a", "desk").bearer();
    long[] totals = new long[LedgerTotals.COLUMNS.size()];
    totals[0] = 3_600_000L; // OFF
    totals[2] = 7_200_000L; // ACTIVE
    totals[5] = 7_200_000L; // verified ACTIVE
    new LedgerRepository(store.dataSource())
        .replaceDay(
            new LedgerDay(
                "nmr-1",
                LocalDate.now(ZoneOffset.UTC),
                LedgerTotals.of(totals),
                "lm-derive/1",
                "lm-attribution/1",
                PROFILE.parameterHash(),
                Instant.now()),
            java.util.List.of());
    long now = System.currentTimeMillis();
    power.put("nmr-1", 1200.0);
    power.put("xrd-1", 100.0);
    power.forEach((id, w) -> samples.report(id, w, now, 300));
    agents =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "simulated-agents");
              t.setDaemon(true);
              return t;
            });
    agents.scheduleAtFixedRate(
        () -> power.forEach((id, w) -> samples.report(id, w, System.currentTimeMillis(), 1)),
        1,
        1,
        TimeUnit.SECONDS);
    api =
        new MeteringApi(
            ApiConfig.create(b -> b.port(0)),
            registry,
            samples,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().get();
    browser = new HeadlessChromium(1400, 900);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (agents != null) {
      agents.shutdownNow();
    }
    if (api != null) {
      api.stop();
    }
    if (store != null) {
      store.close();
    }
  }

  static String url(String fragment) {
    return "http://127.0.0.1:" + api.port() + "/" + fragment;
  }

  static String text(String selector) throws Exception {
    return browser
        .script(
            "var e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            selector)
        .asText();
  }

  static String state(String id) throws Exception {
    return text("tr[data-id='" + id + "'] .state");
  }

  /**
   * Loads the page afresh at {@code fragment} (e.g. {@code #/}) with the token in front of it, as
   * an operator's link carries it ({@code #token=...&/}), and waits for the fleet and the feed.
   */
  static void openFleet(String fragment) throws Exception {
    browser.open("about:blank");
    browser.open(url("#token=" + token + "&" + fragment.substring(1)));
    awaitFleet();
  }

  static void awaitFleet() {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                browser.script("return document.querySelectorAll('#rows tr').length").asInt() == 3
                    && "live".equals(text("#feed") == null ? null : attr("#feed", "data-state")));
  }

  static boolean signInShown() throws Exception {
    return !browser.script("return document.getElementById('signin').hidden").asBoolean();
  }

  static void signIn(String pasted) throws Exception {
    browser.script(
        "document.getElementById('token').value = arguments[0];"
            + " document.getElementById('signin-form').requestSubmit();",
        pasted);
  }

  static String attr(String selector, String name) throws Exception {
    return browser
        .script(
            "return document.querySelector(arguments[0]).getAttribute(arguments[1]);",
            selector,
            name)
        .asText();
  }

  @Test
  void fleetShowsEveryInstrumentAndAStateChangeWithinThreeSeconds() throws Exception {
    openFleet("#/");
    assertThat(text("tr[data-id='nmr-1'] td a")).isEqualTo("NMR 600");
    assertThat(text("tr[data-id='xrd-1'] td a")).isEqualTo("X-ray diffractometer");
    assertThat(text("tr[data-id='sem-1'] td a")).isEqualTo("Scanning electron microscope");
    await().atMost(Duration.ofSeconds(5)).until(() -> "Active".equals(state("nmr-1")));
    assertThat(state("xrd-1")).isEqualTo("Standby");
    assertThat(state("sem-1")).isEqualTo("Unknown");
    assertThat(text("tr[data-id='sem-1'] .alert")).isEqualTo("no data");
    // today's ledger row: 2.0 h ACTIVE
    assertThat(text("tr[data-id='nmr-1'] td:nth-child(5)")).startsWith("2.0 h");
    assertThat(text("#n-total")).isEqualTo("3");
    assertThat(text("#n-ACTIVE")).isEqualTo("1");

    // xrd-1 starts a run: its agent's next batch carries three seconds at 1,500 W (the profile has
    // no dwell time, so the first high sample is the change)
    power.put("xrd-1", 1500.0);
    samples.report("xrd-1", 1500.0, System.currentTimeMillis(), 3);
    await().atMost(Duration.ofSeconds(3)).until(() -> "Active".equals(state("xrd-1")));
    assertThat(text("#n-ACTIVE")).isEqualTo("2");
    browser.screenshot(SHOTS.resolve("fleet-en.png"));
    power.put("xrd-1", 100.0);
  }

  @Test
  void languageSwitchIsRememberedAcrossReloads() throws Exception {
    openFleet("#/");
    browser.script("localStorage.setItem('labmeter.lang', 'en'); location.reload();");
    openFleet("#/");
    assertThat(text("th")).isEqualTo("Instrument");
    browser.script("document.getElementById('lang').click();");
    assertThat(text("th")).isEqualTo("仪器");
    assertThat(text("tr[data-id='nmr-1'] td a")).isEqualTo("核磁共振波谱仪");
    assertThat(text("#lang")).isEqualTo("English");
    openFleet("#/");
    assertThat(text("th")).isEqualTo("仪器");
    await().atMost(Duration.ofSeconds(5)).until(() -> "运行".equals(state("nmr-1")));
    browser.screenshot(SHOTS.resolve("fleet-zh.png"));
    browser.script("document.getElementById('lang').click();");
    assertThat(browser.script("return localStorage.getItem('labmeter.lang')").asText())
        .isEqualTo("en");
  }

  @Test
  void tokenInTheFragmentIsKeptAndLeavesTheAddressBar() throws Exception {
    openFleet("#/");
    assertThat(browser.script("return location.href").asText())
        .doesNotContain(token)
        .endsWith("/#/");
    assertThat(browser.script("return localStorage.getItem('labmeter.token')").asText())
        .isEqualTo(token);
    assertThat(signInShown()).isFalse();
  }

  @Test
  void aRefusedTokenShowsTheSignInBoxAndAPastedTokenLoadsTheFleet() throws Exception {
    // no token at all: the API answers 401 and the page asks for one, without blaming a token
    browser.open("about:blank");
    browser.open(url("#/"));
    browser.script("localStorage.removeItem('labmeter.token'); location.reload();");
    await().atMost(Duration.ofSeconds(10)).until(DashboardBrowserTest::signInShown);
    assertThat(text("#signin-error")).isEmpty();
    assertThat(browser.script("return document.querySelectorAll('#rows tr').length").asInt())
        .isZero();

    // a token the server does not know: 401 again, now said to be rejected
    signIn("lm_0123456789ab_notthesecretatall");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> signInShown() && "The token was not accepted.".equals(text("#signin-error")));

    // the valid one loads the fleet and the live feed, and is kept for the next visit
    signIn(token);
    awaitFleet();
    assertThat(signInShown()).isFalse();
    assertThat(browser.script("return localStorage.getItem('labmeter.token')").asText())
        .isEqualTo(token);
    browser.screenshot(SHOTS.resolve("signed-in.png"));
  }

  @Test
  void instrumentPageShowsRunsAndCoverage() throws Exception {
    openFleet("#/i/nmr-1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                browser.script("return document.querySelectorAll('#i-runs tr').length").asInt() >= 1
                    && browser
                            .script("return document.querySelectorAll('#i-summary .tile').length")
                            .asInt()
                        >= 4);
    assertThat(text("#i-name")).isEqualTo("NMR 600");
    assertThat(text("#i-summary .tile:nth-child(3) b")).isEqualTo("100%");
    browser.screenshot(SHOTS.resolve("instrument-en.png"));
    assertThat(Files.size(SHOTS.resolve("instrument-en.png"))).isGreaterThan(1000);
  }
}
