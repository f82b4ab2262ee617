package org.labmeter.metering.config;

import java.util.function.Consumer;

/**
 * Where the API listens. Built through {@link #create}; {@code build()} refuses bad values with a
 * message that names the field.
 *
 * @param host interface to bind, default 127.0.0.1
 * @param port TCP port, 0 for an ephemeral one
 */
public record ApiConfig(String host, int port) {

  public static ApiConfig create(Consumer<Builder> spec) {
    Builder b = new Builder();
    spec.accept(b);
    return b.build();
  }

  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public ApiConfig build() {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("api.host must not be blank");
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("api.port must be in 0..65535, got " + port);
      }
      return new ApiConfig(host, port);
    }
  }
}
