package org.labmeter.metering.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.Sql;
import org.labmeter.metering.testing.TestStore;

/** Tokens on H2: what is stored, what authenticates, what a revocation and a scope mean. */
class TokenStoreTest {
  TestStore db;
  TokenStore tokens;

  @BeforeEach
  void open() {
    db = TestStore.open(TestStore.Kind.H2);
    new Registry(db.store().dataSource()).saveFacility(new Facility("fa", "Alpha", null));
    tokens =
        new TokenStore(
            db.store().dataSource(),
            Clock.fixed(Instant.parse("2026-03-01T08:00:00Z"), ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void onlyTheHashOfTheSecretIsStoredAndTheTextAuthenticatesOnce() throws Exception {
    IssuedToken t = tokens.create(Role.FACILITY_STAFF, "fa", "lab office");
    String secret = t.bearer().substring(t.bearer().indexOf('_', 3) + 1);
    assertThat(t.bearer()).startsWith("lm_" + t.token().id() + "_");
    assertThat(secret).hasSize(43); // 32 bytes, base64url without padding
    assertThat(t.toString()).doesNotContain(secret);
    List<String> stored =
        Sql.query(
            db.store().dataSource(),
            "SELECT secret_hash FROM api_token WHERE id = ?",
            ps -> ps.setString(1, t.token().id()),
            rs -> rs.getString(1));
    assertThat(stored).containsExactly(TokenStore.sha256(secret));
    assertThat(stored.get(0)).doesNotContain(secret);
    assertThat(tokens.authenticate(t.bearer()))
        .contains(new Principal(t.token().id(), Role.FACILITY_STAFF, "fa"));
    assertThat(t.token().createdAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
  }

  @Test
  void malformedWrongAndRevokedTokensAuthenticateNobody() {
    IssuedToken t = tokens.create(Role.ADMIN, null, "admin");
    String id = t.token().id();
    for (String bad :
        new String[] {
          null,
          "",
          "lm_",
          "lm_" + id,
          "lm_" + id + "_",
          "lm_" + id + "_x",
          "xx" + t.bearer(),
          t.bearer() + "x",
          "lm_" + id + "0_" + t.bearer().substring(16)
        }) {
      assertThat(tokens.authenticate(bad)).as(bad).isEmpty();
    }
    assertThat(tokens.revoke(id).orElseThrow().revoked()).isTrue();
    assertThat(tokens.authenticate(t.bearer())).isEmpty();
    assertThat(tokens.revoke("nope")).isEmpty();
  }

  @Test
  void staffTokensNeedAKnownUnitAndOnlyStaffTokensHaveOne() {
    assertThatThrownBy(() -> tokens.create(Role.FACILITY_STAFF, null, "x"))
        .isInstanceOfSatisfying(
            TokenException.class, e -> assertThat(e.field()).isEqualTo("facilityId"));
    assertThatThrownBy(() -> tokens.create(Role.FACILITY_STAFF, "nowhere", "x"))
        .isInstanceOfSatisfying(
            TokenException.class, e -> assertThat(e.field()).isEqualTo("facilityId"));
    assertThatThrownBy(() -> tokens.create(Role.EVALUATOR, "fa", "x"))
        .isInstanceOfSatisfying(
            TokenException.class, e -> assertThat(e.field()).isEqualTo("facilityId"));
    assertThatThrownBy(() -> tokens.create(Role.ADMIN, null, " "))
        .isInstanceOfSatisfying(
            TokenException.class, e -> assertThat(e.field()).isEqualTo("label"));
    assertThat(tokens.list()).isEmpty();
  }
}
