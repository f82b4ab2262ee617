package org.labmeter.metering.live;

import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.store.LatestSample;
import org.labmeter.metering.usage.LiveState;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * The live state of one instrument, advanced by each newest sample the hub sees: the profile's
 * thresholds with hysteresis, the run flag outranking power, and the dwell times before entering or
 * leaving ACTIVE. It is an indication for staff screens; hours always come from the full
 * derivation. Owned by the hub's thread.
 */
final class LiveTracker {
  /** A sample older than this is re-sent even when nothing else changed, so "last seen" moves. */
  static final long RESEND_AFTER_MILLIS = 10_000L;

  private final String instrumentId;
  private final String facilityId;
  private DerivationProfile profile;
  private RunState state = RunState.UNKNOWN;
  private long since = -1;
  private RunState pending;
  private long pendingSince;
  private long lastTs = -1;
  private double power = Double.NaN;
  private boolean fresh;
  private LiveView sent;
  private boolean seeded;

  LiveTracker(String instrumentId, String facilityId, DerivationProfile profile) {
    this.instrumentId = instrumentId;
    this.facilityId = facilityId;
    this.profile = profile;
  }

  String facilityId() {
    return facilityId;
  }

  void profile(DerivationProfile p) {
    this.profile = p;
  }

  boolean seeded() {
    return seeded;
  }

  boolean hasSample() {
    return lastTs >= 0;
  }

  /**
   * Takes what the full derivation says at the newest sample (once, after the first sample): it
   * knows dwell times and when the state really began, which one sample cannot tell.
   */
  void seed(LiveState derived) {
    seeded = true;
    if (derived == null || !derived.fresh() || derived.state() == RunState.UNKNOWN) {
      return;
    }
    if (derived.state() == state) {
      if (derived.sinceMillis() >= 0 && (since < 0 || derived.sinceMillis() < since)) {
        since = derived.sinceMillis();
      }
    } else if (derived.lastSampleMillis() == lastTs) {
      state = derived.state();
      since = derived.sinceMillis();
      pending = null;
    }
  }

  /** Takes the newest stored sample; older or repeated samples change nothing. */
  void offer(LatestSample s) {
    if (s.tsMillis() <= lastTs) {
      return;
    }
    lastTs = s.tsMillis();
    power = s.powerW();
    RunState raw = raw(s);
    if (raw == state) {
      pending = null;
      return;
    }
    if (pending != raw) {
      pending = raw;
      pendingSince = s.tsMillis();
    }
    long dwell =
        raw == RunState.ACTIVE
            ? profile.minOn().toMillis()
            : state == RunState.ACTIVE ? profile.minOff().toMillis() : 0;
    if (s.tsMillis() - pendingSince >= dwell || state == RunState.UNKNOWN) {
      state = raw;
      since = pendingSince;
      pending = null;
    }
  }

  private RunState raw(LatestSample s) {
    double w = s.powerW();
    RunFlag f = s.runFlag();
    if (s.quality() == Quality.UNAVAILABLE || (f == RunFlag.NONE && Double.isNaN(w))) {
      return RunState.UNKNOWN;
    }
    if (f == RunFlag.FAULT) {
      return RunState.FAULT;
    }
    boolean high =
        !Double.isNaN(w)
            && (w >= profile.onThresholdW()
                || (state == RunState.ACTIVE && w > profile.offThresholdW()));
    if (f == RunFlag.RUNNING || (f != RunFlag.IDLE && high)) {
      return RunState.ACTIVE;
    }
    return !Double.isNaN(w) && w < profile.offBelowW() ? RunState.OFF : RunState.STANDBY;
  }

  /** The view at {@code nowMillis}: UNKNOWN once the newest sample is older than staleAfter. */
  LiveView view(long nowMillis, long staleAfterMillis) {
    fresh = lastTs >= 0 && nowMillis - lastTs <= staleAfterMillis;
    if (!fresh) {
      if (state != RunState.UNKNOWN) {
        state = RunState.UNKNOWN;
        since = lastTs < 0 ? -1 : lastTs + staleAfterMillis;
        pending = null;
      }
    }
    return new LiveView(instrumentId, facilityId, state, since, power, lastTs, fresh);
  }

  /** Whether {@code v} differs enough from what was last sent to be worth sending. */
  boolean worthSending(LiveView v) {
    if (sent == null) {
      return true;
    }
    if (v.state() != sent.state()
        || v.fresh() != sent.fresh()
        || v.sinceMillis() != sent.sinceMillis()) {
      return true;
    }
    double a = v.powerW();
    double b = sent.powerW();
    if (Double.isNaN(a) != Double.isNaN(b)) {
      return true;
    }
    if (!Double.isNaN(a) && Math.abs(a - b) >= Math.max(1.0, 0.01 * Math.abs(b))) {
      return true;
    }
    return v.lastSampleMillis() - sent.lastSampleMillis() >= RESEND_AFTER_MILLIS;
  }

  void markSent(LiveView v) {
    sent = v;
  }
}
