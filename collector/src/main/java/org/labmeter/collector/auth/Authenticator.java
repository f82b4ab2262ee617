package org.labmeter.collector.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.labmeter.wire.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an agent's MQTT user name and password against the directory. PBKDF2 is deliberately slow,
 * and agents reconnect often (flaky links, restarts), so a successful check is remembered under a
 * SHA-256 of the presented secret together with the stored hash: a reconnect with the same secret
 * costs one SHA-256, and changing the stored credential invalidates the entry. Blocking: call it
 * from an authentication thread, never from an event loop.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final int CACHE_ENTRIES = 10_000;

  private final AgentDirectory directory;
  private final Set<String> verified =
      Collections.newSetFromMap(
          Collections.synchronizedMap(
              new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > CACHE_ENTRIES;
                }
              }));

  public Authenticator(AgentDirectory directory) {
    this.directory = directory;
  }

  /**
   * @param agentId the CONNECT user name
   * @param password the CONNECT password bytes (UTF-8), or {@code null} when absent
   */
  public AuthResult authenticate(String agentId, byte[] password) {
    return authenticate(agentId, password, false);
  }

  /**
   * For an agent whose TLS client certificate, signed by a trusted authority, already names it: the
   * directory must still know it and have it enabled, but no password is needed.
   */
  public AuthResult authenticateByCertificate(String agentId) {
    return authenticate(agentId, null, true);
  }

  private AuthResult authenticate(String agentId, byte[] password, boolean certified) {
    if (!Ids.isValid(agentId)) {
      return new AuthResult.Refused(AuthResult.Reason.UNKNOWN_AGENT, agentId);
    }
    Optional<AgentRecord> found;
    try {
      found = directory.find(agentId);
    } catch (RuntimeException e) {
      LOG.error(
          "Agent directory lookup failed for agent {} ({}); refusing the connection",
          agentId,
          e.toString());
      return new AuthResult.Refused(AuthResult.Reason.DIRECTORY_UNAVAILABLE, agentId);
    }
    if (found.isEmpty()) {
      return new AuthResult.Refused(AuthResult.Reason.UNKNOWN_AGENT, agentId);
    }
    AgentRecord agent = found.get();
    if (!agent.enabled()) {
      return new AuthResult.Refused(AuthResult.Reason.DISABLED, agentId);
    }
    if (certified) {
      return new AuthResult.Granted(agent);
    }
    if (password == null || password.length == 0) {
      return new AuthResult.Refused(AuthResult.Reason.MISSING_CREDENTIAL, agentId);
    }
    String cacheKey = agentId + '\n' + agent.credentialHash() + '\n' + sha256Hex(password);
    if (verified.contains(cacheKey)) {
      return new AuthResult.Granted(agent);
    }
    char[] secret = utf8(password);
    if (secret == null) {
      return new AuthResult.Refused(AuthResult.Reason.BAD_CREDENTIAL, agentId);
    }
    try {
      CredentialHash stored = CredentialHash.parse(agent.credentialHash());
      if (!stored.matches(secret)) {
        return new AuthResult.Refused(AuthResult.Reason.BAD_CREDENTIAL, agentId);
      }
    } catch (IllegalArgumentException e) {
      LOG.error(
          "Stored credential of agent {} is unreadable ({}); refusing the connection",
          agentId,
          e.getMessage());
      return new AuthResult.Refused(AuthResult.Reason.BAD_CREDENTIAL, agentId);
    } finally {
      Arrays.fill(secret, '\0');
    }
    verified.add(cacheKey);
    return new AuthResult.Granted(agent);
  }

  private static char[] utf8(byte[] bytes) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
