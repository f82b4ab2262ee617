package org.labmeter.metering.registry;

/**
 * A legal entity users belong to. Sessions name their user's entity; attribution counts hours of an
 * {@link EntityType#EXTERNAL} entity as external service.
 */
public record Organisation(String id, String name, EntityType entityType) {
  /** Whether the entity is the managing unit itself (internal) or another one (external). */
  public enum EntityType {
    INTERNAL,
    EXTERNAL
  }

  public Organisation {
    if (id == null || id.isBlank() || id.length() > 128 || !id.equals(id.strip())) {
      throw new RegistryRejection(
          RegistryRejection.Kind.INVALID, "id", "organisation id must be 1..128 characters");
    }
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new RegistryRejection(
          RegistryRejection.Kind.INVALID, "name", "organisation name must be 1..200 characters");
    }
    if (entityType == null) {
      throw new RegistryRejection(
          RegistryRejection.Kind.INVALID, "entityType", "entityType must be INTERNAL or EXTERNAL");
    }
  }
}
