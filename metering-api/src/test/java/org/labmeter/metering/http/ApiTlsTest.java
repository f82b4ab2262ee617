package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.SampleReader;

/**
 * The API over HTTPS with a self-signed certificate for 127.0.0.1 made by the JDK's keytool, given
 * once as a PKCS#12 store and once as PEM files; and ApiConfig refusing bad TLS and address
 * settings with the field named.
 */
class ApiTlsTest {
  static final String PASSWORD = "changeit-" + UUID.randomUUID();
  @TempDir static Path dir;
  static Path p12;
  static Path certPem;
  static Path keyPem;
  static RelationalStore store;
  static HttpClient https;

  @BeforeAll
  static void makeCertificate() throws Exception {
    p12 = dir.resolve("api.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "api",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                p12.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    certPem = dir.resolve("api.crt");
    keyPem = dir.resolve("api.key");
    Files.writeString(certPem, pem("CERTIFICATE", ks.getCertificate("api").getEncoded()));
    Files.writeString(
        keyPem, pem("PRIVATE KEY", ks.getKey("api", PASSWORD.toCharArray()).getEncoded()));

    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    https = HttpClient.newBuilder().sslContext(ssl).build();
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  @AfterAll
  static void close() {
    store.close();
  }

  @Test
  void servesHttpsFromAPkcs12Store() throws Exception {
    assertServesHttps(ApiConfig.create(b -> b.port(0).pkcs12(p12, PASSWORD)));
  }

  @Test
  void servesHttpsFromPemFiles() throws Exception {
    assertServesHttps(ApiConfig.create(b -> b.port(0).pem(certPem, keyPem)));
  }

  @Test
  void refusesBadTlsSettingsNamingTheField() throws Exception {
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pkcs12(p12, "wrong")))
        .hasMessageContaining("api.tls.password");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pkcs12(p12, null)))
        .hasMessageContaining("api.tls.password is required");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pkcs12(dir.resolve("none.p12"), "x")))
        .hasMessageContaining("api.tls.keystorePath");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pem(dir.resolve("none.crt"), keyPem)))
        .hasMessageContaining("api.tls.certPath");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pem(keyPem, keyPem)))
        .hasMessageContaining("api.tls.certPath")
        .hasMessageContaining("not a PEM certificate");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pem(certPem, certPem)))
        .hasMessageContaining("api.tls.keyPath")
        .hasMessageContaining("private key");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pem(certPem, null)))
        .hasMessageContaining("api.tls.keyPath is required");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.pem(certPem, keyPem).pkcs12(p12, PASSWORD)))
        .hasMessageContaining("not both");
    assertThat(ApiConfig.create(b -> b.pkcs12(p12, PASSWORD)).tls().toString())
        .doesNotContain(PASSWORD);
  }

  @Test
  void refusesBadAddressesNamingTheField() {
    assertThatThrownBy(() -> ApiConfig.create(b -> b.port(65536)))
        .hasMessage("api.port must be in 0..65535, got 65536");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.port(-1))).hasMessageContaining("api.port");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.host(" ")))
        .hasMessage("api.host must not be blank");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.host("my host")))
        .hasMessageContaining("api.host must be a host name or an IP address");
    assertThatThrownBy(() -> ApiConfig.create(b -> b.host("http://x")))
        .hasMessageContaining("api.host");
    assertThat(ApiConfig.create(b -> b.host("0.0.0.0")).host()).isEqualTo("0.0.0.0");
    assertThat(ApiConfig.create(b -> b.host("::1")).host()).isEqualTo("::1");
    assertThat(ApiConfig.create(b -> b.host("api.lab-1.example")).tls()).isNull();
  }

  private static void assertServesHttps(ApiConfig config) throws Exception {
    MeteringApi api =
        new MeteringApi(
            config,
            new Registry(store.dataSource()),
            new EmptyReader(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().get();
    try {
      HttpResponse<String> r =
          https.send(
              HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + api.port() + "/health"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"status\":\"UP\"");
      assertThat(r.headers().firstValue(RequestLog.HEADER)).isPresent();
    } finally {
      api.stop();
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static final class EmptyReader implements SampleReader {
    @Override
    public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
      return ObservationSeries.builder().build();
    }

    @Override
    public boolean ping() {
      return true;
    }

    @Override
    public void close() {}
  }
}
