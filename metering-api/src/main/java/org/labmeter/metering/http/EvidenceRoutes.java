package org.labmeter.metering.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.labmeter.metering.evidence.BundleJson;
import org.labmeter.metering.evidence.EvidenceBundle;
import org.labmeter.metering.evidence.EvidenceExporter;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.QuestDbSampleReader;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/instruments/{id}/evidence?from=&to=}: the evidence bundle of a window as a
 * file download. Parameters and error answers are those of the usage endpoint. The bundle is
 * written to a temporary file on a worker and streamed from there, so a long window never sits in
 * memory twice and never touches the event loop.
 */
final class EvidenceRoutes {
  private static final Logger log = LoggerFactory.getLogger(EvidenceRoutes.class);

  private final Vertx vertx;
  private final Registry registry;
  private final EvidenceExporter exporter;

  EvidenceRoutes(Vertx vertx, Registry registry, SampleReader reader) {
    this.vertx = vertx;
    this.registry = registry;
    this.exporter =
        reader instanceof QuestDbSampleReader q
            ? new EvidenceExporter(
                registry, new UsageService(registry, reader), q.batchReader(), Clock.systemUTC())
            : null;
  }

  void mount(Router router) {
    router.get("/api/v1/instruments/:id/evidence").handler(this::evidence);
  }

  private record Export(Path file, String filename) {}

  private void evidence(RoutingContext ctx) {
    Future<Export> result = vertx.executeBlocking(() -> export(ctx), false);
    result.onComplete(
        ar -> {
          if (ar.succeeded()) {
            Export e = ar.result();
            ctx.response()
                .putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("content-disposition", "attachment; filename=\"" + e.filename() + "\"")
                .sendFile(e.file().toString())
                .onComplete(done -> delete(e.file()));
          } else {
            Replies.failed(ctx, ar.cause());
          }
        });
  }

  private Export export(RoutingContext ctx) throws IOException {
    String id = ctx.pathParam("id");
    if (!Ids.isValid(id)) {
      throw ApiError.badRequest("id", "instrument id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    if (registry.instrument(id).isEmpty()) {
      throw ApiError.notFound("id", "no instrument with id '" + id + "'");
    }
    Instant to = Params.instant(ctx, "to", Instant.now());
    Instant from = Params.instant(ctx, "from", to.minus(InstrumentRoutes.DEFAULT_WINDOW));
    if (!from.isBefore(to)) {
      throw ApiError.badRequest("from", "from (" + from + ") must be before to (" + to + ")");
    }
    if (Duration.between(from, to).compareTo(InstrumentRoutes.MAX_WINDOW) > 0) {
      throw ApiError.badRequest(
          "to",
          "a usage window may span at most " + InstrumentRoutes.MAX_WINDOW.toDays() + " days");
    }
    if (exporter == null) {
      throw new ApiError(
          501,
          "not_supported",
          "evidence bundles need the QuestDB store, which holds the signed envelopes",
          null);
    }
    EvidenceBundle bundle = exporter.export(id, from, to).orElseThrow();
    Path file = Files.createTempFile("labmeter-evidence-", ".json");
    try (OutputStream out = Files.newOutputStream(file)) {
      BundleJson.write(bundle, out);
    } catch (IOException | RuntimeException e) {
      delete(file);
      throw e;
    }
    log.info(
        "evidence bundle of instrument {} for {} .. {}: {} batches, {} bytes",
        id,
        from,
        to,
        bundle.batches().size(),
        Files.size(file));
    String name = "evidence-" + id + "-" + stamp(from) + "-" + stamp(to) + ".json";
    return new Export(file, name);
  }

  private static String stamp(Instant t) {
    return t.toString().replace(":", "").replace("-", "");
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temporary bundle " + file, e);
    }
  }
}
