package org.labmeter.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads the files of a {@link TlsConfig} and builds the socket factory the MQTT client connects
 * with. Called once by the loader, so that a missing or unreadable file stops the agent at start
 * with the field named, and again by the publisher when it creates its client.
 */
public final class TlsContextFactory {
  private static final char[] NO_PASSWORD = new char[0];
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  private TlsContextFactory() {}

  /**
   * @throws InvalidConfigException naming the field whose file is missing or unusable
   */
  public static SSLSocketFactory socketFactory(TlsConfig tls) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers(tls), trustManagers(tls), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new InvalidConfigException("tls", "cannot set up TLS: " + e.getMessage());
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(TlsConfig tls)
      throws GeneralSecurityException {
    if (tls.caFile() == null) {
      return null; // the JVM's default trust store
    }
    List<Certificate> authorities = certificates("caFile", tls.caFile());
    KeyStore store = emptyStore();
    for (int i = 0; i < authorities.size(); i++) {
      store.setCertificateEntry("ca-" + i, authorities.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  private static javax.net.ssl.KeyManager[] keyManagers(TlsConfig tls)
      throws GeneralSecurityException {
    KeyStore store;
    char[] password = NO_PASSWORD;
    if (tls.pkcs12File() != null) {
      password = tls.pkcs12Password() == null ? NO_PASSWORD : tls.pkcs12Password().toCharArray();
      store = pkcs12("pkcs12File", tls.pkcs12File(), password);
    } else if (tls.certFile() != null) {
      List<Certificate> chain = certificates("certFile", tls.certFile());
      PrivateKey key = privateKey(tls.keyFile());
      store = emptyStore();
      store.setKeyEntry("agent", key, password, chain.toArray(Certificate[]::new));
    } else {
      return null;
    }
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    return store;
  }

  private static KeyStore pkcs12(String field, Path file, char[] password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      if (!store.aliases().hasMoreElements()) {
        throw new InvalidConfigException(field, file + " holds no key");
      }
      return store;
    } catch (IOException e) {
      throw new InvalidConfigException(
          field,
          "cannot read "
              + file
              + " as PKCS#12 (wrong pkcs12PasswordFile, or not a PKCS#12 file): "
              + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new InvalidConfigException(field, "cannot load " + file + ": " + e.getMessage());
    }
  }

  private static List<Certificate> certificates(String field, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> found =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (found.isEmpty()) {
        throw new InvalidConfigException(field, file + " holds no certificate");
      }
      return new ArrayList<>(found);
    } catch (IOException e) {
      throw new InvalidConfigException(field, "cannot read " + file + ": " + e);
    } catch (GeneralSecurityException e) {
      throw new InvalidConfigException(
          field, file + " is not a PEM or DER X.509 certificate: " + e.getMessage());
    }
  }

  private static PrivateKey privateKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new InvalidConfigException("keyFile", "cannot read " + file + ": " + e);
    }
    String begin = "-----BEGIN PRIVATE KEY-----";
    String end = "-----END PRIVATE KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      String found = text.contains("-----BEGIN ") ? " (found another PEM type)" : "";
      throw new InvalidConfigException(
          "keyFile",
          file
              + " is not an unencrypted PKCS#8 PEM key"
              + found
              + "; allowed: BEGIN PRIVATE KEY; convert with"
              + " openssl pkcs8 -topk8 -nocrypt -in old.key -out agent.key");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("keyFile", file + " has broken base64: " + e.getMessage());
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException tryNext) {
        // not this algorithm
      }
    }
    throw new InvalidConfigException(
        "keyFile", file + " holds a key of a kind not supported; allowed: " + KEY_ALGORITHMS);
  }
}
