package org.labmeter.metering.attribution;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One record that someone used the instrument: a booking, login, card or QR scan, sample order or
 * manual entry, with the user's legal entity and what the national service record needs. Times are
 * taken as given, even an end before the start: the engine reports such a row as an {@link
 * AttributionIssue} rather than refusing the whole input.
 *
 * @param id the source system's identifier, used in every issue and reconciliation item
 * @param kind where the record comes from
 * @param startMillis inclusive
 * @param endMillis exclusive
 * @param user applicant
 * @param userEntityId the applicant's legal entity; compared with the managing unit
 * @param serviceWay 占用 / 技术 / 委托 / 远程 / 其他
 * @param direction research, development, teaching or other
 * @param purpose what the use was for; decides effective, external or counted apart
 * @param funding funding source as written in the source record (may be empty)
 * @param fee fee charged (zero when none)
 * @param voucherId innovation voucher the use is paid with, or {@code null}
 * @param voucherRedeemed the voucher was redeemed for this use
 * @param invoiced an invoice was issued for this use
 * @param prepMillis declared preparation time before the measurement (zero when none)
 * @param postMillis declared post-processing time after the measurement (zero when none)
 */
public record UsageSession(
    String id,
    SessionKind kind,
    long startMillis,
    long endMillis,
    String user,
    String userEntityId,
    ServiceWay serviceWay,
    ServiceDirection direction,
    PurposeCategory purpose,
    String funding,
    BigDecimal fee,
    String voucherId,
    boolean voucherRedeemed,
    boolean invoiced,
    long prepMillis,
    long postMillis) {

  public UsageSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(userEntityId, "userEntityId");
    Objects.requireNonNull(serviceWay, "serviceWay");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(funding, "funding");
    Objects.requireNonNull(fee, "fee");
    if (prepMillis < 0) {
      throw new IllegalArgumentException(
          "session " + id + ": prepMillis (" + prepMillis + ") must not be negative");
    }
    if (postMillis < 0) {
      throw new IllegalArgumentException(
          "session " + id + ": postMillis (" + postMillis + ") must not be negative");
    }
  }

  /**
   * Builds a session; id, kind, start, end, user and userEntityId are required, the rest default to
   * USE, RESEARCH, NORMAL, empty funding, zero fee, no voucher, not invoiced, no prep or post.
   */
  public static UsageSession create(Consumer<Builder> spec) {
    Builder b = new Builder();
    spec.accept(b);
    return b.build();
  }

  /** Whether the use is paid with a voucher that was redeemed. */
  public boolean voucherUsed() {
    return voucherId != null && voucherRedeemed;
  }

  /** Collects the fields of a {@link UsageSession}. */
  public static final class Builder {
    private String id;
    private SessionKind kind;
    private Long startMillis;
    private Long endMillis;
    private String user;
    private String userEntityId;
    private ServiceWay serviceWay = ServiceWay.USE;
    private ServiceDirection direction = ServiceDirection.RESEARCH;
    private PurposeCategory purpose = PurposeCategory.NORMAL;
    private String funding = "";
    private BigDecimal fee = BigDecimal.ZERO;
    private String voucherId;
    private boolean voucherRedeemed;
    private boolean invoiced;
    private long prepMillis;
    private long postMillis;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder kind(SessionKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder start(long millis) {
      this.startMillis = millis;
      return this;
    }

    public Builder end(long millis) {
      this.endMillis = millis;
      return this;
    }

    public Builder user(String user, String entityId) {
      this.user = user;
      this.userEntityId = entityId;
      return this;
    }

    public Builder serviceWay(ServiceWay way) {
      this.serviceWay = way;
      return this;
    }

    public Builder direction(ServiceDirection direction) {
      this.direction = direction;
      return this;
    }

    public Builder purpose(PurposeCategory purpose) {
      this.purpose = purpose;
      return this;
    }

    public Builder funding(String funding) {
      this.funding = funding;
      return this;
    }

    public Builder fee(BigDecimal fee) {
      this.fee = fee;
      return this;
    }

    /** A voucher and whether it was redeemed for this use. */
    public Builder voucher(String voucherId, boolean redeemed) {
      this.voucherId = voucherId;
      this.voucherRedeemed = redeemed;
      return this;
    }

    public Builder invoiced(boolean invoiced) {
      this.invoiced = invoiced;
      return this;
    }

    public Builder prepMillis(long millis) {
      this.prepMillis = millis;
      return this;
    }

    public Builder postMillis(long millis) {
      this.postMillis = millis;
      return this;
    }

    public UsageSession build() {
      if (startMillis == null) {
        throw new IllegalArgumentException("session " + id + ": start must be set");
      }
      if (endMillis == null) {
        throw new IllegalArgumentException("session " + id + ": end must be set");
      }
      return new UsageSession(
          id,
          kind,
          startMillis,
          endMillis,
          user,
          userEntityId,
          serviceWay,
          direction,
          purpose,
          funding,
          fee,
          voucherId,
          voucherRedeemed,
          invoiced,
          prepMillis,
          postMillis);
    }
  }
}
