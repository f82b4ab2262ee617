package org.labmeter.collector.mqtt;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time, and the server and client certificates it signs (EC
 * P-256), written as PEM (PKCS#8 keys) and PKCS#12 into a directory.
 */
final class TestCertificates {
  static final String STORE_PASSWORD = "changeit";
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** One key with its certificate, and where they were written. */
  record Issued(KeyPair keys, X509Certificate certificate, Path pem, Path key, Path p12) {}

  private final Path dir;
  private final String caName;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final X500Name caSubject;
  private final Path caPem;

  TestCertificates(Path dir, String caName) throws Exception {
    this.dir = dir;
    this.caName = caName;
    this.caKeys = newKeys();
    X500Name name = new X500Name("CN=" + caName);
    this.caSubject = name;
    X509v3CertificateBuilder builder = builder(name, name, caKeys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    this.ca = sign(builder, caKeys.getPrivate());
    this.caPem = dir.resolve(caName + ".pem");
    Files.writeString(caPem, pem("CERTIFICATE", ca.getEncoded()));
  }

  Path caPem() {
    return caPem;
  }

  /** The server's certificate: CN and DNS name localhost, IP address 127.0.0.1. */
  Issued server() throws Exception {
    return issue(
        "server",
        "localhost",
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
  }

  /** A client certificate with {@code cn} as its common name and no alternative names. */
  Issued client(String cn) throws Exception {
    return issue("client-" + cn, cn, null);
  }

  /** A client certificate with another CN and {@code dnsName} as a subject alternative name. */
  Issued clientWithAlternativeName(String cn, String dnsName) throws Exception {
    return issue(
        "client-" + cn, cn, new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
  }

  /** A TLS context trusting this authority, presenting {@code client} when not null. */
  SSLContext clientContext(Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "client",
          client.keys().getPrivate(),
          STORE_PASSWORD.toCharArray(),
          new Certificate[] {client.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, STORE_PASSWORD.toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private Issued issue(String file, String cn, GeneralNames alternatives) throws Exception {
    KeyPair keys = newKeys();
    X509v3CertificateBuilder builder = builder(caSubject, new X500Name("CN=" + cn), keys);
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    if (alternatives != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, alternatives);
    }
    X509Certificate certificate = sign(builder, caKeys.getPrivate());
    Path pem = dir.resolve(caName + "-" + file + ".pem");
    Path key = dir.resolve(caName + "-" + file + ".key");
    Path p12 = dir.resolve(caName + "-" + file + ".p12");
    Files.writeString(pem, pem("CERTIFICATE", certificate.getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(
        file, keys.getPrivate(), STORE_PASSWORD.toCharArray(), new Certificate[] {certificate, ca});
    try (OutputStream out = Files.newOutputStream(p12)) {
      store.store(out, STORE_PASSWORD.toCharArray());
    }
    return new Issued(keys, certificate, pem, key, p12);
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static String pem(String type, byte[] der) throws IOException {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
