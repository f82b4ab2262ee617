package org.labmeter.metering.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/openapi.yaml} and {@code /api/v1/openapi.json}: the API's OpenAPI 3.1 contract
 * (see docs/api.md), open to every caller because it describes how to authenticate (its rules in
 * {@link org.labmeter.metering.auth.AccessPolicy} name no role). Both forms are read once, at
 * start, from the class path.
 */
final class OpenApiRoutes {
  /** Where the contract lives on the class path. */
  static final String RESOURCE = "openapi/openapi.yaml";

  private final Buffer yaml;
  private final Buffer json;

  OpenApiRoutes() {
    byte[] bytes = read();
    this.yaml = Buffer.buffer(bytes);
    try {
      JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(bytes);
      this.json = Buffer.buffer(new ObjectMapper().writeValueAsBytes(tree));
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI contract " + RESOURCE + " is not YAML", e);
    }
  }

  void mount(Router router) {
    router
        .get("/api/v1/openapi.yaml")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "application/yaml; charset=utf-8")
                    .end(yaml));
    router
        .get("/api/v1/openapi.json")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "application/json; charset=utf-8")
                    .end(json));
  }

  /** The contract's bytes as shipped. */
  static byte[] read() {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the OpenAPI contract " + RESOURCE + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenAPI contract " + RESOURCE, e);
    }
  }
}
