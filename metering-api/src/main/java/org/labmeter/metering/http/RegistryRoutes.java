package org.labmeter.metering.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.labmeter.metering.auth.Principal;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.AgentApproval;
import org.labmeter.metering.registry.AgentRegistry;
import org.labmeter.metering.registry.AgentView;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.InstrumentDetails;
import org.labmeter.metering.registry.Organisation;
import org.labmeter.metering.registry.Organisations;
import org.labmeter.metering.registry.ProfileVersion;
import org.labmeter.metering.registry.Registry;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Ids;

/**
 * The registry over REST: managing units, instruments with their platform fields, versioned
 * profiles, users' organisations and the agent enrolment flow. The same {@link Registry} and {@link
 * AgentRegistry} calls serve {@code labmeter registry}; each write is one transaction. Who may call
 * what is {@link org.labmeter.metering.auth.AccessPolicy}'s business.
 */
final class RegistryRoutes {
  private final Vertx vertx;
  private final Registry registry;
  private final AgentRegistry agents;
  private final Organisations organisations;

  RegistryRoutes(Vertx vertx, Registry registry, AgentRegistry agents) {
    this.vertx = vertx;
    this.registry = registry;
    this.agents = agents;
    this.organisations = new Organisations(registry.dataSource());
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(64 * 1024);
    router.get("/api/v1/facilities").handler(ctx -> reply(ctx, 200, () -> facilities(ctx)));
    router
        .post("/api/v1/facilities")
        .handler(body)
        .handler(ctx -> reply(ctx, 201, () -> addFacility(ctx)));
    router.get("/api/v1/facilities/:id").handler(ctx -> reply(ctx, 200, () -> facility(ctx)));
    router
        .post("/api/v1/instruments")
        .handler(body)
        .handler(ctx -> reply(ctx, 201, () -> addInstrument(ctx)));
    router
        .get("/api/v1/instruments/:id/details")
        .handler(ctx -> reply(ctx, 200, () -> details(pathId(ctx))));
    router
        .get("/api/v1/instruments/:id/profiles")
        .handler(ctx -> reply(ctx, 200, () -> profiles(ctx)));
    router
        .post("/api/v1/instruments/:id/profiles")
        .handler(body)
        .handler(ctx -> reply(ctx, 201, () -> addProfile(ctx)));
    router.get("/api/v1/organisations").handler(ctx -> reply(ctx, 200, this::organisations));
    router
        .post("/api/v1/organisations")
        .handler(body)
        .handler(ctx -> reply(ctx, 201, () -> addOrganisation(ctx)));
    router
        .get("/api/v1/agents")
        .handler(
            ctx ->
                reply(
                    ctx,
                    200,
                    () -> agents.agents().stream().map(RegistryRoutes::agentView).toList()));
    router.post("/api/v1/agents").handler(body).handler(ctx -> reply(ctx, 201, () -> enroll(ctx)));
    router.get("/api/v1/agents/:id").handler(ctx -> reply(ctx, 200, () -> agent(ctx)));
    router
        .post("/api/v1/agents/:id/approve")
        .handler(body)
        .handler(ctx -> reply(ctx, 200, () -> approve(ctx)));
    router
        .post("/api/v1/agents/:id/revoke")
        .handler(ctx -> reply(ctx, 200, () -> agentView(agents.revoke(pathId(ctx)))));
  }

  private void reply(RoutingContext ctx, int status, Callable<Object> work) {
    Replies.blocking(vertx, ctx, status, () -> Bodies.refusalsAsErrors(work));
  }

  private Object facilities(RoutingContext ctx) {
    Principal p = Principal.of(ctx).orElseThrow();
    return registry.facilities().stream()
        .filter(f -> p.canRead(f.id()))
        .map(RegistryRoutes::facilityView)
        .toList();
  }

  private Object facility(RoutingContext ctx) {
    String id = pathId(ctx);
    return facilityView(
        registry
            .facility(id)
            .orElseThrow(() -> ApiError.notFound("id", "no facility with id '" + id + "'")));
  }

  private Object addFacility(RoutingContext ctx) {
    JsonNode b = Bodies.object(ctx);
    String id = Bodies.id(b, "id");
    Facility f = new Facility(id, Bodies.text(b, "name"), Bodies.optionalText(b, "nameZh"));
    if (registry.facility(id).isPresent()) {
      throw new ApiError(409, "conflict", "facility '" + id + "' exists", "id");
    }
    registry.saveFacility(f);
    return facilityView(f);
  }

  private Object addInstrument(RoutingContext ctx) {
    JsonNode b = Bodies.object(ctx);
    Instrument i =
        new Instrument(
            Bodies.id(b, "id"),
            Bodies.id(b, "facilityId"),
            Bodies.text(b, "name"),
            Bodies.optionalText(b, "nameZh"),
            Bodies.optionalText(b, "model"),
            Bodies.optionalText(b, "assetNo"));
    InstrumentDetails d =
        new InstrumentDetails(
            Bodies.optionalText(b, "nationalPlatformId"),
            Bodies.optionalText(b, "categoryCode"),
            Bodies.optionalDecimal(b, "originalValue"),
            Bodies.optionalText(b, "location"));
    JsonNode p = b.get("profile");
    if (p == null || !p.isObject()) {
      throw ApiError.badRequest("profile", "profile is required (an object of thresholds)");
    }
    registry.addInstrument(i, d, profile(p), Bodies.instant(p, "validFrom"));
    return details(i.id());
  }

  private Object details(String id) {
    Instrument i =
        registry
            .instrument(id)
            .orElseThrow(() -> ApiError.notFound("id", "no instrument with id '" + id + "'"));
    InstrumentDetails d = registry.details(id).orElse(InstrumentDetails.NONE);
    Map<String, Object> out = JsonViews.instrument(i);
    out.put("nationalPlatformId", d.nationalPlatformId());
    out.put("categoryCode", d.categoryCode());
    out.put("originalValue", d.originalValue());
    out.put("location", d.location());
    out.put("profiles", registry.profiles(id).stream().map(RegistryRoutes::profileView).toList());
    return out;
  }

  private Object profiles(RoutingContext ctx) {
    String id = pathId(ctx);
    List<ProfileVersion> versions = registry.profiles(id);
    if (versions.isEmpty()) {
      throw ApiError.notFound("id", "no instrument with id '" + id + "'");
    }
    return versions.stream().map(RegistryRoutes::profileView).toList();
  }

  private Object addProfile(RoutingContext ctx) {
    JsonNode b = Bodies.object(ctx);
    return profileView(
        registry.addProfileVersion(pathId(ctx), profile(b), Bodies.instant(b, "validFrom")));
  }

  /** A derivation profile from JSON; an impossible one (T_off above T_on) names the field. */
  private static DerivationProfile profile(JsonNode p) {
    double offBelow = Bodies.number(p, "offBelowW");
    double on = Bodies.number(p, "onThresholdW");
    double off = Bodies.number(p, "offThresholdW");
    long minOn = Bodies.wholeNumber(p, "minOnMs", 0);
    long minOff = Bodies.wholeNumber(p, "minOffMs", 0);
    long maxGap = Bodies.wholeNumber(p, "maxSampleGapMs", -1);
    if (maxGap < 0) {
      throw ApiError.badRequest("maxSampleGapMs", "maxSampleGapMs is required (milliseconds)");
    }
    try {
      return DerivationProfile.create(
          x ->
              x.offBelowW(offBelow)
                  .onThresholdW(on)
                  .offThresholdW(off)
                  .minOn(Duration.ofMillis(minOn))
                  .minOff(Duration.ofMillis(minOff))
                  .maxSampleGap(Duration.ofMillis(maxGap)));
    } catch (IllegalArgumentException e) {
      String first = e.getMessage().split("[ (]", 2)[0];
      String field =
          switch (first) {
            case "minOn", "minOff", "maxSampleGap" -> first + "Ms";
            default -> first;
          };
      throw ApiError.badRequest(field, e.getMessage());
    }
  }

  private Object organisations() {
    return organisations.all().stream().map(RegistryRoutes::organisationView).toList();
  }

  private Object addOrganisation(RoutingContext ctx) {
    JsonNode b = Bodies.object(ctx);
    String type = Bodies.text(b, "entityType");
    Organisation.EntityType t;
    try {
      t = Organisation.EntityType.valueOf(type);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("entityType", "entityType must be INTERNAL or EXTERNAL");
    }
    Organisation o = new Organisation(Bodies.text(b, "id"), Bodies.text(b, "name"), t);
    organisations.add(o);
    return organisationView(o);
  }

  private Object enroll(RoutingContext ctx) {
    JsonNode b = Bodies.object(ctx);
    String id = Bodies.id(b, "id");
    String facilityId = Bodies.id(b, "facilityId");
    AgentPublicKey key;
    try {
      key = AgentPublicKey.ofBase64(Bodies.text(b, "publicKey"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("publicKey", "publicKey must be the base64 of an Ed25519 key");
    }
    return agentView(agents.enrollPending(id, facilityId, key));
  }

  private Object agent(RoutingContext ctx) {
    String id = pathId(ctx);
    return agentView(
        agents
            .agent(id)
            .orElseThrow(() -> ApiError.notFound("id", "no agent with id '" + id + "'")));
  }

  private Object approve(RoutingContext ctx) {
    JsonNode b = Bodies.object(ctx);
    AgentApproval a =
        agents.approve(pathId(ctx), Bodies.text(b, "fingerprint"), Bodies.ids(b, "instrumentIds"));
    Map<String, Object> out = agentView(a.agent());
    out.put("mqttPassword", a.mqttPassword());
    return out;
  }

  private static String pathId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValid(id)) {
      throw ApiError.badRequest("id", "id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    return id;
  }

  private static Map<String, Object> facilityView(Facility f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", f.id());
    out.put("name", f.name());
    out.put("nameZh", f.nameZh());
    return out;
  }

  private static Map<String, Object> profileView(ProfileVersion v) {
    DerivationProfile p = v.profile();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", v.version());
    out.put("validFrom", v.validFrom().toString());
    out.put("offBelowW", p.offBelowW());
    out.put("onThresholdW", p.onThresholdW());
    out.put("offThresholdW", p.offThresholdW());
    out.put("minOnMs", p.minOn().toMillis());
    out.put("minOffMs", p.minOff().toMillis());
    out.put("maxSampleGapMs", p.maxSampleGap().toMillis());
    out.put("hash", p.parameterHash());
    return out;
  }

  private static Map<String, Object> organisationView(Organisation o) {
    return Map.of("id", o.id(), "name", o.name(), "entityType", o.entityType().name());
  }

  static Map<String, Object> agentView(AgentView a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", a.id());
    out.put("facilityId", a.facilityId());
    out.put("publicKey", a.publicKey());
    out.put("fingerprint", a.fingerprint());
    out.put("status", a.status().name());
    out.put("instrumentIds", a.instrumentIds());
    out.put("createdAt", a.createdAt().toString());
    return out;
  }
}
