package org.labmeter.agent.config;

import java.nio.file.Path;

/**
 * The {@code mqtt.tls} section, for an {@code ssl://} broker. The client identity is either a PEM
 * certificate chain with its PKCS#8 PEM key, or a PKCS#12 file; both are optional when the broker
 * authenticates by user name and password alone. Without {@code caFile} the JVM's trust store
 * decides which brokers to trust. {@link TlsContextFactory} reads and checks the files at start.
 *
 * @param caFile PEM certificates of the authorities that may sign the broker's certificate
 * @param certFile the agent's PEM certificate (chain), with {@code keyFile}
 * @param keyFile the agent's PEM private key, PKCS#8 ({@code BEGIN PRIVATE KEY}), unencrypted
 * @param pkcs12File the agent's certificate and key in one PKCS#12 file, instead of the PEM pair
 * @param pkcs12Password the PKCS#12 password (from {@code pkcs12PasswordFile}), or {@code null}
 * @param verifyHostname whether the broker's certificate must name the host in {@code mqtt.uri}
 */
public record TlsConfig(
    Path caFile,
    Path certFile,
    Path keyFile,
    Path pkcs12File,
    String pkcs12Password,
    boolean verifyHostname) {

  public TlsConfig {
    if ((certFile == null) != (keyFile == null)) {
      throw new InvalidConfigException(
          certFile == null ? "certFile" : "keyFile",
          "missing; certFile and keyFile go together (or use pkcs12File instead)");
    }
    if (certFile != null && pkcs12File != null) {
      throw new InvalidConfigException(
          "pkcs12File", "set either certFile and keyFile, or pkcs12File, not both");
    }
    if (pkcs12Password != null && pkcs12File == null) {
      throw new InvalidConfigException(
          "pkcs12PasswordFile", "is set without pkcs12File; allowed only with pkcs12File");
    }
  }

  /** Trust the given authorities, verify the host name, no client certificate. */
  public static TlsConfig trusting(Path caFile) {
    return new TlsConfig(caFile, null, null, null, null, true);
  }

  public TlsConfig withClientPem(Path certFile, Path keyFile) {
    return new TlsConfig(caFile, certFile, keyFile, null, null, verifyHostname);
  }

  public TlsConfig withClientPkcs12(Path pkcs12File, String password) {
    return new TlsConfig(caFile, null, null, pkcs12File, password, verifyHostname);
  }

  public TlsConfig withVerifyHostname(boolean verify) {
    return new TlsConfig(caFile, certFile, keyFile, pkcs12File, pkcs12Password, verify);
  }

  @Override
  public String toString() {
    return "TlsConfig[caFile="
        + caFile
        + ", certFile="
        + certFile
        + ", keyFile="
        + keyFile
        + ", pkcs12File="
        + pkcs12File
        + ", pkcs12Password="
        + (pkcs12Password == null ? "none" : "***")
        + ", verifyHostname="
        + verifyHostname
        + "]";
  }
}
