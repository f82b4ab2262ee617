package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.attribution.PurposeCategory;
import org.labmeter.metering.attribution.ServiceDirection;
import org.labmeter.metering.attribution.ServiceWay;
import org.labmeter.metering.attribution.SessionKind;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.sessions.ImportFormat;
import org.labmeter.metering.sessions.ImportResult;
import org.labmeter.metering.sessions.SessionImporter;
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.sessions.SessionStoreException;
import org.labmeter.metering.sessions.StoredSession;

/**
 * The usage-session table and its import on a real PostgreSQL (see {@link PostgresStoresTest} for
 * where the connection comes from): migration V2, the all-or-nothing insert, the window query, and
 * a GBK file through the importer.
 */
class PostgresSessionsTest {
  static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void sessionsAreStoredAllOrNothingAndQueriedByWindowOnPostgres() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String facility = "pg-unit-" + run;
    String instrument = "pg-xrd-" + run;
    try (RelationalStore store =
        RelationalStore.open(
            PostgresStoresTest.env("LABMETER_TEST_PG_URL"),
            PostgresStoresTest.env("LABMETER_TEST_PG_USER"),
            PostgresStoresTest.env("LABMETER_TEST_PG_PASSWORD"))) {
      Registry registry = new Registry(store.dataSource());
      registry.saveFacility(new Facility(facility, "PG Unit", "单位"));
      registry.addInstrument(
          new Instrument(instrument, facility, "XRD", "X射线衍射仪", null, null),
          DerivationProfile.create(
              b ->
                  b.offBelowW(10)
                      .onThresholdW(800)
                      .offThresholdW(500)
                      .minOn(Duration.ofSeconds(30))
                      .minOff(Duration.ofSeconds(30))
                      .maxSampleGap(Duration.ofSeconds(30))),
          Instant.parse("2026-01-01T00:00:00Z"));
      SessionRepository sessions = new SessionRepository(store.dataSource());

      UsageSession first =
          new UsageSession(
              "s-1",
              SessionKind.BOOKING,
              T.toEpochMilli(),
              T.plusSeconds(3600).toEpochMilli(),
              "李娜",
              "复旦大学",
              ServiceWay.COMMISSIONED,
              ServiceDirection.DEVELOPMENT,
              PurposeCategory.NORMAL,
              "创新券",
              new BigDecimal("1200.50"),
              "V-1",
              true,
              false,
              600_000,
              1_200_000);
      UsageSession second =
          UsageSession.create(
              b ->
                  b.id("s-2")
                      .kind(SessionKind.LOGIN)
                      .start(T.plusSeconds(7200).toEpochMilli())
                      .end(T.plusSeconds(9000).toEpochMilli())
                      .user("zhang", facility)
                      .fee(new BigDecimal("0.00")));
      Instant importedAt = Instant.parse("2026-03-03T01:02:03Z");
      assertThat(sessions.insertAll(instrument, List.of(first, second), "test", importedAt))
          .isEqualTo(2);

      // a batch with one new and one repeated id stores nothing
      UsageSession third =
          UsageSession.create(
              b -> b.id("s-3").kind(SessionKind.CARD).start(0).end(1).user("x", "y"));
      assertThatThrownBy(
              () -> sessions.insertAll(instrument, List.of(third, first), "test", importedAt))
          .isInstanceOfSatisfying(
              SessionStoreException.class, e -> assertThat(e.duplicateKey()).isTrue());
      assertThat(sessions.count(instrument)).isEqualTo(2);

      // the window [09:30, 11:00) overlaps s-1 only; s-2 starts at 11:00
      List<StoredSession> window =
          sessions.inWindow(
              instrument, T.plusSeconds(1800).toEpochMilli(), T.plusSeconds(7200).toEpochMilli());
      assertThat(window).extracting(StoredSession::session).containsExactly(first);
      assertThat(window.get(0).importedAt()).isEqualTo(importedAt);
      assertThat(sessions.existingIds(instrument, List.of("s-1", "s-9"))).containsExactly("s-1");

      byte[] gbk =
          ("id,kind,start,end,user,userEntityId,serviceWay,direction\r\n"
                  + "g-1,BOOKING,2026-03-02T12:00:00Z,2026-03-02T13:00:00Z,王芳,上海交通大学,委托,教学\r\n")
              .getBytes(Charset.forName("GBK"));
      SessionImporter importer =
          new SessionImporter(
              registry,
              sessions,
              Clock.fixed(importedAt, ZoneOffset.UTC),
              new SimpleMeterRegistry());
      ImportResult result = importer.importFile(instrument, ImportFormat.CSV, gbk, null, null);
      assertThat(result)
          .isInstanceOfSatisfying(
              ImportResult.Imported.class,
              ok -> {
                assertThat(ok.encoding()).isEqualTo("GBK");
                assertThat(ok.storedTotal()).isEqualTo(3);
              });
      assertThat(
              sessions
                  .inWindow(
                      instrument,
                      Instant.parse("2026-03-02T12:00:00Z").toEpochMilli(),
                      Instant.parse("2026-03-02T12:00:01Z").toEpochMilli())
                  .get(0)
                  .session()
                  .userEntityId())
          .isEqualTo("上海交通大学");
    }
  }
}
