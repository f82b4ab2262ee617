package org.labmeter.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CredentialHashTest {

  @Test
  void matchesTheRfc7914TestVector() {
    // RFC 7914 section 11: PBKDF2-HMAC-SHA256, P = "Password", S = "NaCl", c = 80000; the first
    // 32 bytes of its 64-byte output (PBKDF2 block 1 does not depend on the output length).
    byte[] expected =
        HexFormat.of().parseHex("4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56");
    String stored =
        "pbkdf2-sha256$80000$"
            + Base64.getEncoder().encodeToString("NaCl".getBytes(StandardCharsets.US_ASCII))
            + "$"
            + Base64.getEncoder().encodeToString(expected);

    assertThat(CredentialHash.matches(stored, "Password".toCharArray())).isTrue();
    assertThat(CredentialHash.matches(stored, "password".toCharArray())).isFalse();
  }

  @Test
  void aCreatedHashRoundTripsThroughItsText() {
    CredentialHash hash = CredentialHash.create("s3cret".toCharArray(), 1_000);
    String encoded = hash.encoded();

    assertThat(encoded).startsWith("pbkdf2-sha256$1000$");
    assertThat(encoded.split("\\$")).hasSize(4);
    assertThat(CredentialHash.parse(encoded)).isEqualTo(hash);
    assertThat(CredentialHash.matches(encoded, "s3cret".toCharArray())).isTrue();
    assertThat(CredentialHash.matches(encoded, "s3cret ".toCharArray())).isFalse();
    assertThat(CredentialHash.matches(encoded, new char[0])).isFalse();
    assertThat(hash.toString()).doesNotContain(encoded.split("\\$")[3]);
  }

  @Test
  void twoHashesOfTheSameSecretDifferByTheirSalt() {
    String a = CredentialHash.create("x".toCharArray(), 1_000).encoded();
    String b = CredentialHash.create("x".toCharArray(), 1_000).encoded();

    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void refusesTextsThatAreNotItsFormat() {
    assertThatThrownBy(() -> CredentialHash.parse("bcrypt$10$abc$def"))
        .hasMessageContaining("pbkdf2-sha256$<iterations>$<saltB64>$<hashB64>");
    assertThatThrownBy(() -> CredentialHash.parse("pbkdf2-sha256$10$c2FsdA==$aGFzaA=="))
        .hasMessageContaining("at least 1000");
    assertThatThrownBy(() -> CredentialHash.parse("pbkdf2-sha256$many$c2FsdA==$aGFzaA=="))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> CredentialHash.parse("pbkdf2-sha256$1000$!!$aGFzaA=="))
        .hasMessageContaining("not base64");
    assertThatThrownBy(() -> CredentialHash.create("x".toCharArray(), 999))
        .hasMessageContaining("at least 1000");
  }
}
