package org.labmeter.collector.mqtt;

import java.nio.file.Files;
import java.nio.file.Path;
import org.labmeter.collector.config.ConfigException;

/**
 * TLS on the MQTT listener. The key and certificate come either as PEM files ({@code
 * certificateChain} and a PKCS#8 {@code privateKey}) or as one PKCS#12 {@code keyStore}. With
 * {@code clientAuth} other than {@link ClientAuthMode#NONE}, client certificates are checked
 * against {@code trustedCertificates} (PEM), and a presented certificate must name the agent of the
 * CONNECT in its CN or in a subject alternative name.
 *
 * @param certificateReplacesPassword when true, an agent whose certificate names it may leave the
 *     CONNECT password out; a password that is given is still checked
 */
public record TlsSettings(
    Path certificateChain,
    Path privateKey,
    String privateKeyPassword,
    Path keyStore,
    String keyStorePassword,
    Path trustedCertificates,
    ClientAuthMode clientAuth,
    boolean certificateReplacesPassword) {

  public TlsSettings {
    boolean pem = certificateChain != null || privateKey != null;
    require(
        "tlsKeyStore",
        pem != (keyStore != null),
        "give either tls.keyStore (PKCS#12) or tls.certificateChain with tls.privateKey (PEM),"
            + " not both and not neither");
    if (pem) {
      readable("tlsCertificateChain", certificateChain);
      readable("tlsPrivateKey", privateKey);
    } else {
      readable("tlsKeyStore", keyStore);
    }
    require("tlsClientAuth", clientAuth != null, "must be one of none, optional, required");
    if (clientAuth == ClientAuthMode.NONE) {
      require(
          "tlsCertificateReplacesPassword",
          !certificateReplacesPassword,
          "needs tls.clientAuth optional or required");
    } else {
      readable("tlsTrustedCertificates", trustedCertificates);
    }
  }

  /** Keeps the passwords out of logs. */
  @Override
  public String toString() {
    return "TlsSettings["
        + (keyStore != null ? "keyStore=" + keyStore : "certificateChain=" + certificateChain)
        + ", clientAuth="
        + clientAuth
        + ", certificateReplacesPassword="
        + certificateReplacesPassword
        + "]";
  }

  private static void readable(String field, Path file) {
    require(field, file != null, "must be set");
    require(field, Files.isRegularFile(file) && Files.isReadable(file), "cannot read file " + file);
  }

  private static void require(String field, boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(field, message);
    }
  }
}
