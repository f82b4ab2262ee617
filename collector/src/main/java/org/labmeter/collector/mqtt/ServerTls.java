package org.labmeter.collector.mqtt;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import org.labmeter.collector.config.ConfigException;

/**
 * Builds the listener's TLS context from {@link TlsSettings} with the JDK's provider, once at
 * start: an unreadable key or certificate stops the collector with the field named.
 */
public final class ServerTls {
  private ServerTls() {}

  public static SslContext context(TlsSettings settings) {
    SslContextBuilder builder;
    if (settings.keyStore() != null) {
      char[] password =
          settings.keyStorePassword() == null
              ? new char[0]
              : settings.keyStorePassword().toCharArray();
      try (InputStream in = Files.newInputStream(settings.keyStore())) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, password);
        KeyManagerFactory keys =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        builder = SslContextBuilder.forServer(keys);
      } catch (IOException | GeneralSecurityException e) {
        throw new ConfigException(
            "tlsKeyStore",
            "cannot read PKCS#12 key store " + settings.keyStore() + ": " + e.getMessage());
      }
    } else {
      try {
        builder =
            SslContextBuilder.forServer(
                settings.certificateChain().toFile(),
                settings.privateKey().toFile(),
                settings.privateKeyPassword());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "tlsPrivateKey",
            "cannot read PEM certificate chain "
                + settings.certificateChain()
                + " with PKCS#8 private key "
                + settings.privateKey()
                + ": "
                + e.getMessage());
      }
    }
    builder.sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
    if (settings.clientAuth() != ClientAuthMode.NONE) {
      try {
        builder.trustManager(settings.trustedCertificates().toFile());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "tlsTrustedCertificates",
            "cannot read PEM certificates "
                + settings.trustedCertificates()
                + ": "
                + e.getMessage());
      }
      builder.clientAuth(
          settings.clientAuth() == ClientAuthMode.REQUIRED
              ? ClientAuth.REQUIRE
              : ClientAuth.OPTIONAL);
    }
    try {
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException(
          settings.keyStore() != null ? "tlsKeyStore" : "tlsPrivateKey",
          "cannot set up TLS: " + e.getMessage());
    }
  }
}
