package org.labmeter.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;
import org.labmeter.wire.Ed25519Signer;

class AuthenticatorTest {
  private final Ed25519Signer key = TestBatches.signer(1);
  private final InMemoryAgentDirectory directory =
      new InMemoryAgentDirectory().put(TestBatches.agent("agent-1", "secret-1", key, "nmr-1"));
  private final Authenticator authenticator = new Authenticator(directory);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private AuthResult.Reason refusal(AuthResult result) {
    return ((AuthResult.Refused) result).reason();
  }

  @Test
  void theRightSecretIsGrantedWithTheAgentRecord() {
    AuthResult result = authenticator.authenticate("agent-1", utf8("secret-1"));

    assertThat(result).isInstanceOf(AuthResult.Granted.class);
    assertThat(((AuthResult.Granted) result).agent().instrumentIds()).containsExactly("nmr-1");
  }

  @Test
  void everyOtherCaseIsRefusedWithItsReason() {
    directory.put(
        new AgentRecord(
            "agent-off",
            directory.find("agent-1").orElseThrow().credentialHash(),
            key.publicKey(),
            java.util.Set.of(),
            false));

    assertThat(refusal(authenticator.authenticate("agent-1", utf8("secret-2"))))
        .isEqualTo(AuthResult.Reason.BAD_CREDENTIAL);
    assertThat(refusal(authenticator.authenticate("agent-1", null)))
        .isEqualTo(AuthResult.Reason.MISSING_CREDENTIAL);
    assertThat(refusal(authenticator.authenticate("agent-1", new byte[0])))
        .isEqualTo(AuthResult.Reason.MISSING_CREDENTIAL);
    assertThat(refusal(authenticator.authenticate("agent-9", utf8("secret-1"))))
        .isEqualTo(AuthResult.Reason.UNKNOWN_AGENT);
    assertThat(refusal(authenticator.authenticate(null, utf8("secret-1"))))
        .isEqualTo(AuthResult.Reason.UNKNOWN_AGENT);
    assertThat(refusal(authenticator.authenticate("agent-off", utf8("secret-1"))))
        .isEqualTo(AuthResult.Reason.DISABLED);
    assertThat(refusal(authenticator.authenticate("agent-1", new byte[] {(byte) 0xC3})))
        .isEqualTo(AuthResult.Reason.BAD_CREDENTIAL);
  }

  @Test
  void aDirectoryOutageIsNotReportedAsABadCredential() {
    Authenticator broken =
        new Authenticator(
            id -> {
              throw new IllegalStateException("connection refused");
            });

    assertThat(refusal(broken.authenticate("agent-1", utf8("secret-1"))))
        .isEqualTo(AuthResult.Reason.DIRECTORY_UNAVAILABLE);
  }

  @Test
  void aRememberedSuccessStopsCountingOnceTheStoredCredentialChanges() {
    AtomicInteger lookups = new AtomicInteger();
    Authenticator counting =
        new Authenticator(
            id -> {
              lookups.incrementAndGet();
              return directory.find(id);
            });
    assertThat(counting.authenticate("agent-1", utf8("secret-1")))
        .isInstanceOf(AuthResult.Granted.class);
    assertThat(counting.authenticate("agent-1", utf8("secret-1")))
        .isInstanceOf(AuthResult.Granted.class);

    directory.put(TestBatches.agent("agent-1", "rotated", key, "nmr-1"));

    assertThat(refusal(counting.authenticate("agent-1", utf8("secret-1"))))
        .isEqualTo(AuthResult.Reason.BAD_CREDENTIAL);
    assertThat(counting.authenticate("agent-1", utf8("rotated")))
        .isInstanceOf(AuthResult.Granted.class);
    assertThat(lookups).hasValue(4);
  }
}
