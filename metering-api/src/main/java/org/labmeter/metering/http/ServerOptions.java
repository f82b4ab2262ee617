package org.labmeter.metering.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import org.labmeter.metering.config.ApiConfig;

/** The HTTP server's options from a validated {@link ApiConfig}: address, and TLS when set. */
final class ServerOptions {
  private ServerOptions() {}

  static HttpServerOptions of(ApiConfig config) {
    HttpServerOptions options =
        new HttpServerOptions().setHost(config.host()).setPort(config.port());
    if (config.tls() instanceof ApiConfig.Pem pem) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(pem.certPath().toString())
                  .setKeyPath(pem.keyPath().toString()));
    } else if (config.tls() instanceof ApiConfig.Pkcs12 p12) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PfxOptions().setPath(p12.keystorePath().toString()).setPassword(p12.password()));
    }
    return options;
  }
}
