package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shipped contract loads in vertx-openapi and says what docs/api.md promises about it. */
class OpenApiDocumentTest {
  static Vertx vertx;
  static OpenAPIContract contract;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract = ContractDocument.load(vertx);
  }

  @AfterAll
  static void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void loadsAsOpenApi31WithAnIdOnEveryOperation() {
    assertThat(contract.getVersion()).isEqualTo(OpenAPIVersion.V3_1);
    assertThat(contract.operations()).hasSizeGreaterThanOrEqualTo(39);
    assertThat(contract.operations())
        .allSatisfy(op -> assertThat(op.getOperationId()).isNotBlank());
  }

  @Test
  void onlyCsvYamlAndEventStreamBodiesAreRelabelledForTheValidator() {
    String raw = ContractDocument.raw().encode();
    String loaded = ContractDocument.forValidator().encode();
    assertThat(raw).contains("\"text/csv\":{", "\"application/yaml\":{", "\"text/event-stream\":{");
    assertThat(loaded)
        .doesNotContain("\"text/csv\":{", "\"application/yaml\":{", "\"text/event-stream\":{");
    assertThat(loaded.length()).isEqualTo(raw.length() + lengthChange(raw));
  }

  /**
   * text/csv (8), application/yaml (16) and text/event-stream (17) become text/plain (10): +2, -6
   * and -7 characters.
   */
  private static int lengthChange(String raw) {
    int csv = raw.split("\"text/csv\":\\{", -1).length - 1;
    int yaml = raw.split("\"application/yaml\":\\{", -1).length - 1;
    int events = raw.split("\"text/event-stream\":\\{", -1).length - 1;
    return 2 * csv - 6 * yaml - 7 * events;
  }

  @Test
  void everyApiOperationNeedsABearerTokenAndDocumentsRefusals() {
    assertThat(contract.securityScheme("bearerAuth").getType()).isEqualTo("http");
    assertThat(contract.securityScheme("bearerAuth").getScheme()).isEqualTo("bearer");
    List<String> open = List.of("getHealth", "getMetrics", "getOpenApiYaml", "getOpenApiJson");
    for (Operation op : contract.operations()) {
      List<SecurityRequirement> security = op.getSecurityRequirements();
      if (open.contains(op.getOperationId())) {
        assertThat(security)
            .as(op.getOperationId())
            .allSatisfy(s -> assertThat(s.isEmpty()).isTrue());
        continue;
      }
      assertThat(op.getOpenAPIPath()).as(op.getOperationId()).startsWith("/api/v1/");
      assertThat(security)
          .as(op.getOperationId())
          .anySatisfy(s -> assertThat(s.getNames()).containsExactly("bearerAuth"));
      assertThat(op.getResponse(401)).as(op.getOperationId() + " 401").isNotNull();
      assertThat(op.getResponse(403)).as(op.getOperationId() + " 403").isNotNull();
    }
  }
}
