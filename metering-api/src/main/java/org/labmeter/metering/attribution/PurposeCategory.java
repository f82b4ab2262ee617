package org.labmeter.metering.attribution;

/**
 * What a session was for. Three kinds: {@link #NORMAL} use; uses that are effective but that
 * Shanghai's rules exclude from shared (external) service; and uses of the instrument that are
 * never effective hours and are counted apart.
 */
public enum PurposeCategory {
  NORMAL(Effect.COUNTED),
  STATUTORY_CERTIFICATION(Effect.NOT_SHARED),
  LAW_ENFORCEMENT_INSPECTION(Effect.NOT_SHARED),
  COMMERCIAL_GOODS_INSPECTION(Effect.NOT_SHARED),
  COMMERCIAL_FILMING(Effect.NOT_SHARED),
  MEDICAL_SERVICE(Effect.NOT_SHARED),
  TELECOM_BILLING(Effect.NOT_SHARED),
  BULK_INSPECTION(Effect.NOT_SHARED),
  MAINTENANCE(Effect.NOT_EFFECTIVE),
  CALIBRATION(Effect.NOT_EFFECTIVE),
  TRAINING(Effect.NOT_EFFECTIVE);

  private enum Effect {
    COUNTED,
    NOT_SHARED,
    NOT_EFFECTIVE
  }

  private final Effect effect;

  PurposeCategory(Effect effect) {
    this.effect = effect;
  }

  /** Whether ACTIVE time of such a session counts as effective working hours. */
  public boolean effective() {
    return effect != Effect.NOT_EFFECTIVE;
  }

  /** Whether such a session may count as external (shared) service when the user is external. */
  public boolean shareable() {
    return effect == Effect.COUNTED;
  }
}
