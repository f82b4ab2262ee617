package org.labmeter.metering.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.testing.ApiClient;
import org.labmeter.metering.testing.TestStore;

/**
 * The API on a fresh store with two managing units (fa with instrument ia, fb with instrument ib)
 * and one token per role; the sample store is empty.
 */
final class ApiUnderTest implements AutoCloseable {
  /** Names that only the records of unit fb carry, to look for in refusals. */
  static final String B_FACILITY_NAME = "Bravo Institute of Secret Physics";

  static final String B_INSTRUMENT_NAME = "Bravo Cryo-EM Krios";

  final TestStore db;
  final Registry registry;
  final TokenStore tokens;
  final MeteringApi api;
  final ApiClient client;
  final String admin;
  final String evaluator;
  final String staffA;
  final String staffB;
  final String enrollment;
  final String revoked;

  ApiUnderTest(TestStore.Kind kind) throws Exception {
    db = TestStore.open(kind);
    registry = new Registry(db.store().dataSource());
    registry.saveFacility(new Facility("fa", "Alpha Institute", null));
    registry.saveFacility(new Facility("fb", B_FACILITY_NAME, null));
    DerivationProfile profile =
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(800)
                    .offThresholdW(500)
                    .maxSampleGap(Duration.ofSeconds(30)));
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    registry.addInstrument(
        new Instrument("ia", "fa", "Alpha NMR", null, null, null), profile, from);
    registry.addInstrument(
        new Instrument("ib", "fb", B_INSTRUMENT_NAME, null, null, "B-SECRET-ASSET"), profile, from);
    tokens = new TokenStore(db.store().dataSource());
    admin = tokens.create(Role.ADMIN, null, "admin").bearer();
    evaluator = tokens.create(Role.EVALUATOR, null, "evaluator").bearer();
    staffA = tokens.create(Role.FACILITY_STAFF, "fa", "staff a").bearer();
    staffB = tokens.create(Role.FACILITY_STAFF, "fb", "staff b").bearer();
    enrollment = tokens.create(Role.AGENT_ENROLLMENT, null, "enrollment").bearer();
    var r = tokens.create(Role.ADMIN, null, "revoked admin");
    tokens.revoke(r.token().id());
    revoked = r.bearer();
    api =
        new MeteringApi(
            ApiConfig.create(b -> b.port(0)),
            registry,
            new SampleReader() {
              @Override
              public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
                return ObservationSeries.builder().build();
              }

              @Override
              public boolean ping() {
                return true;
              }

              @Override
              public void close() {}
            },
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().get();
    client = new ApiClient(api.port());
  }

  /** The token id inside a bearer text {@code lm_<id>_<secret>}. */
  static String idOf(String bearer) {
    return bearer.substring(3, bearer.indexOf('_', 3));
  }

  @Override
  public void close() {
    api.stop();
    db.close();
  }
}
