package org.labmeter.metering.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collections;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Where the API listens, and whether over TLS. Built through {@link #create}; {@code build()}
 * refuses bad values with a message that names the field, so a wrong certificate path or password
 * stops the server at start rather than at the first HTTPS handshake.
 *
 * @param host interface to bind, default 127.0.0.1
 * @param port TCP port, 0 for an ephemeral one
 * @param tls the server's certificate, or null for plain HTTP
 */
public record ApiConfig(String host, int port, Tls tls) {
  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** Plain HTTP. */
  public ApiConfig(String host, int port) {
    this(host, port, null);
  }

  public static ApiConfig create(Consumer<Builder> spec) {
    Builder b = new Builder();
    spec.accept(b);
    return b.build();
  }

  /** The server's certificate and private key, in one of the two forms Vert.x reads. */
  public sealed interface Tls permits Pem, Pkcs12 {}

  /**
   * PEM files.
   *
   * @param certPath the certificate chain, server certificate first ({@code api.tls.certPath})
   * @param keyPath the private key, PKCS#8 or PKCS#1 ({@code api.tls.keyPath})
   */
  public record Pem(Path certPath, Path keyPath) implements Tls {}

  /**
   * A PKCS#12 key store holding the key and its certificate chain.
   *
   * @param keystorePath the .p12 file ({@code api.tls.keystorePath})
   * @param password opens the store and its key ({@code api.tls.password}); never printed
   */
  public record Pkcs12(Path keystorePath, String password) implements Tls {
    @Override
    public String toString() {
      return "Pkcs12[keystorePath=" + keystorePath + ", password=***]";
    }
  }

  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private Path certPath;
    private Path keyPath;
    private Path keystorePath;
    private String password;

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Serve HTTPS with a PEM certificate chain and private key. */
    public Builder pem(Path certPath, Path keyPath) {
      this.certPath = certPath;
      this.keyPath = keyPath;
      return this;
    }

    /** Serve HTTPS with a PKCS#12 key store. */
    public Builder pkcs12(Path keystorePath, String password) {
      this.keystorePath = keystorePath;
      this.password = password;
      return this;
    }

    public ApiConfig build() {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("api.host must not be blank");
      }
      if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
        throw new IllegalArgumentException(
            "api.host must be a host name or an IP address such as 127.0.0.1, 0.0.0.0 or ::1, got '"
                + host
                + "'");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("api.port must be in 0..65535, got " + port);
      }
      return new ApiConfig(host, port, tls());
    }

    private Tls tls() {
      boolean pem = certPath != null || keyPath != null;
      boolean p12 = keystorePath != null || password != null;
      if (pem && p12) {
        throw new IllegalArgumentException(
            "api.tls: set either api.tls.certPath and api.tls.keyPath (PEM) or"
                + " api.tls.keystorePath and api.tls.password (PKCS#12), not both");
      }
      if (pem) {
        checkCertificate(readable("api.tls.certPath", certPath));
        checkKey(readable("api.tls.keyPath", keyPath));
        return new Pem(certPath, keyPath);
      }
      if (p12) {
        readable("api.tls.keystorePath", keystorePath);
        if (password == null) {
          throw new IllegalArgumentException(
              "api.tls.password is required with api.tls.keystorePath");
        }
        checkKeyStore(keystorePath, password);
        return new Pkcs12(keystorePath, password);
      }
      return null;
    }

    private static Path readable(String field, Path path) {
      if (path == null) {
        throw new IllegalArgumentException(field + " is required for TLS");
      }
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new IllegalArgumentException(field + " " + path + " is not a readable file");
      }
      return path;
    }

    private static void checkCertificate(Path path) {
      try (InputStream in = Files.newInputStream(path)) {
        if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
          throw new IllegalArgumentException(
              "api.tls.certPath " + path + " holds no PEM certificate");
        }
      } catch (CertificateException | IOException e) {
        throw new IllegalArgumentException(
            "api.tls.certPath "
                + path
                + " is not a PEM certificate chain (-----BEGIN CERTIFICATE-----): "
                + e.getMessage(),
            e);
      }
    }

    private static void checkKey(Path path) {
      String text;
      try {
        text = Files.readString(path, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "api.tls.keyPath " + path + " cannot be read: " + e.getMessage(), e);
      }
      if (!text.contains("-----BEGIN PRIVATE KEY-----")
          && !text.contains("-----BEGIN RSA PRIVATE KEY-----")
          && !text.contains("-----BEGIN EC PRIVATE KEY-----")) {
        throw new IllegalArgumentException(
            "api.tls.keyPath "
                + path
                + " is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----,"
                + " RSA PRIVATE KEY or EC PRIVATE KEY)");
      }
    }

    private static void checkKeyStore(Path path, String password) {
      try (InputStream in = Files.newInputStream(path)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(in, password.toCharArray());
        for (String alias : Collections.list(store.aliases())) {
          if (store.isKeyEntry(alias)) {
            return;
          }
        }
        throw new IllegalArgumentException(
            "api.tls.keystorePath " + path + " holds no private key entry");
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "api.tls.password does not open api.tls.keystorePath "
                + path
                + " (or it is not a PKCS#12 file): "
                + e.getMessage(),
            e);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "api.tls.keystorePath " + path + " cannot be read as PKCS#12: " + e.getMessage(), e);
      }
    }
  }
}
