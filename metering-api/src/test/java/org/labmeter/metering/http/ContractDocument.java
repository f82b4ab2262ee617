package org.labmeter.metering.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The shipped contract, for tests. vertx-openapi 5.0.7 models only JSON, multipart, octet-stream
 * and text/plain bodies and refuses a document naming any other media type; the textual types this
 * API also sends ({@value #CSV}, {@value #YAML} and the live feed's {@value #EVENT_STREAM}, all
 * described as plain strings) are therefore loaded as text/plain for the validator. Tests check the
 * real Content-Type against the unmodified document separately ({@link #mediaTypes}).
 */
final class ContractDocument {
  static final String CSV = "text/csv";
  static final String YAML = "application/yaml";
  static final String EVENT_STREAM = "text/event-stream";
  static final Set<String> LOADED_AS_TEXT = Set.of(CSV, YAML, EVENT_STREAM);

  private ContractDocument() {}

  /** The document exactly as served. */
  static JsonObject raw() {
    try {
      Map<?, ?> tree =
          new ObjectMapper(new YAMLFactory()).readValue(OpenApiRoutes.read(), Map.class);
      return new JsonObject(new ObjectMapper().writeValueAsString(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document with CSV and YAML bodies relabelled text/plain, as vertx-openapi accepts it. */
  static JsonObject forValidator() {
    JsonObject doc = raw();
    relabel(doc);
    return doc;
  }

  static OpenAPIContract load(Vertx vertx) throws Exception {
    return OpenAPIContract.from(vertx, forValidator())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  /** The media types the unmodified document lists for one response of one operation. */
  static Set<String> mediaTypes(JsonObject raw, String operationId, int status) {
    JsonObject paths = raw.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject op = item.getJsonObject(method);
        if (!operationId.equals(op.getString("operationId"))) {
          continue;
        }
        JsonObject response = op.getJsonObject("responses").getJsonObject(String.valueOf(status));
        if (response == null) {
          return Set.of();
        }
        if (response.containsKey("$ref")) {
          String name = response.getString("$ref").substring("#/components/responses/".length());
          response = raw.getJsonObject("components").getJsonObject("responses").getJsonObject(name);
        }
        JsonObject content = response.getJsonObject("content");
        return content == null ? Set.of() : content.fieldNames();
      }
    }
    throw new IllegalArgumentException("no operation " + operationId + " in the contract");
  }

  private static void relabel(Object node) {
    if (node instanceof JsonObject o) {
      JsonObject content = o.getValue("content") instanceof JsonObject c ? c : null;
      if (content != null) {
        for (String type : LOADED_AS_TEXT) {
          if (content.containsKey(type) && !content.containsKey("text/plain")) {
            content.put("text/plain", content.remove(type));
          }
        }
      }
      o.forEach(e -> relabel(e.getValue()));
    } else if (node instanceof JsonArray a) {
      a.forEach(ContractDocument::relabel);
    }
  }
}
