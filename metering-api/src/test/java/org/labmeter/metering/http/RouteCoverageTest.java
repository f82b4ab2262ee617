package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.SampleReader;

/**
 * Every endpoint the router serves is in the contract, and every path in the contract is served. An
 * endpoint is a route with a path and at least one HTTP method; routes for any method are handlers
 * shared by many endpoints (the request log, access control, the static web UI) and are not
 * operations. A route added without describing it in openapi.yaml fails here.
 */
class RouteCoverageTest {

  @Test
  void routerAndContractListTheSameOperations() throws Exception {
    Set<String> served = new TreeSet<>();
    try (RelationalStore store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "")) {
      MeteringApi api =
          new MeteringApi(
              ApiConfig.create(b -> b.port(0)),
              new Registry(store.dataSource()),
              new EmptyReader(),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      api.start().get();
      try {
        for (Route route : api.router().getRoutes()) {
          if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
            continue;
          }
          for (HttpMethod m : route.methods()) {
            served.add(m.name() + " " + route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}"));
          }
        }
      } finally {
        api.stop();
      }
    }
    Set<String> documented = new TreeSet<>();
    JsonObject paths = ContractDocument.raw().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
          documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path);
        }
      }
    }

    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(documented);
    Set<String> unserved = new TreeSet<>(documented);
    unserved.removeAll(served);
    assertThat(undocumented)
        .as("routes missing from metering-api/src/main/resources/openapi/openapi.yaml")
        .isEmpty();
    assertThat(unserved).as("documented operations with no route").isEmpty();
    assertThat(served).contains("GET /api/v1/instruments/{id}/usage", "POST /api/v1/periods");
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
