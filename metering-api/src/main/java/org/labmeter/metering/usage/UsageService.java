package org.labmeter.metering.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.ProfileSchedule;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.StateSegment;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.ProfileVersion;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.SampleReader;

/**
 * Joins the registry (which profile applies) with the store (which samples exist) and hands both to
 * the derivation engine. Plain Java, so the API and the command-line tools compute the same number
 * from the same inputs.
 */
public final class UsageService {
  /** How far around a window samples are read, so dwell times and gaps at its edges are seen. */
  static final Duration CONTEXT_MARGIN = Duration.ofHours(1);

  /** How far back the live state looks for the current state's start. */
  public static final Duration LIVE_LOOKBACK = Duration.ofMinutes(15);

  /** A newest sample older than this no longer speaks for "now". */
  public static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private final Registry registry;
  private final SampleReader reader;

  public UsageService(Registry registry, SampleReader reader) {
    this.registry = registry;
    this.reader = reader;
  }

  /**
   * The state now. Telemetry arrives in batches, so the newest sample is usually a few seconds old;
   * the state is read at that sample while it is younger than {@link #STALE_AFTER}, and is UNKNOWN
   * after that (an agent that went quiet is not "off").
   */
  public Optional<LiveState> live(String instrumentId, Instant now) {
    Instant from = now.minus(LIVE_LOOKBACK);
    Optional<Inputs> read = read(instrumentId, from, now);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    ObservationSeries series = read.get().series();
    int n = series.size();
    long last = n == 0 ? -1 : series.timestampMillis(n - 1);
    double power = n == 0 ? Double.NaN : series.powerW(n - 1);
    boolean fresh = last >= 0 && now.toEpochMilli() - last <= STALE_AFTER.toMillis();
    if (!fresh) {
      return Optional.of(new LiveState(RunState.UNKNOWN, -1, last, power, false));
    }
    long at = Math.max(last + 1, from.toEpochMilli() + 1);
    Usage upToLast = StateDeriver.derive(read.get().schedule(), series, from.toEpochMilli(), at);
    StateSegment segment = upToLast.timeline().get(upToLast.timeline().size() - 1);
    return Optional.of(new LiveState(segment.state(), segment.startMillis(), last, power, true));
  }

  /**
   * How far on each side of a window samples are read: an hour, or the profile's dwell and gap
   * distances when longer. The evidence exporter reads the same range, so a bundle holds every
   * sample this derivation saw.
   */
  public static long contextMarginMillis(DerivationProfile p) {
    long gap = p.maxSampleGap().toMillis();
    long dwell = Math.max(gap, Math.max(p.minOn().toMillis(), p.minOff().toMillis()));
    return Math.max(CONTEXT_MARGIN.toMillis(), dwell + gap);
  }

  /** The longest context any version of the schedule needs: {@link #contextMarginMillis}. */
  public static long contextMarginMillis(ProfileSchedule schedule) {
    long out = 0;
    for (ProfileSchedule.Version v : schedule.versions()) {
      out = Math.max(out, contextMarginMillis(v.profile()));
    }
    return out;
  }

  /** Every profile version of the instrument as a schedule, or empty when it has none. */
  public Optional<ProfileSchedule> schedule(String instrumentId) {
    List<ProfileVersion> versions = registry.profiles(instrumentId);
    return versions.isEmpty() ? Optional.empty() : Optional.of(schedule(versions));
  }

  private static ProfileSchedule schedule(List<ProfileVersion> versions) {
    List<ProfileSchedule.Version> out = new ArrayList<>();
    for (ProfileVersion v : versions) {
      out.add(new ProfileSchedule.Version(v.version(), v.validFrom().toEpochMilli(), v.profile()));
    }
    return new ProfileSchedule(out);
  }

  /**
   * The instrument's usage over [from, to), or empty when the instrument is not registered. A
   * window that crosses a profile change is derived with each version over its own part.
   */
  public Optional<InstrumentUsage> usage(String instrumentId, Instant from, Instant to) {
    return read(instrumentId, from, to)
        .map(
            in -> {
              ObservationSeries series = in.series();
              Usage usage =
                  StateDeriver.derive(
                      in.schedule(), series, from.toEpochMilli(), to.toEpochMilli());
              int n = series.size();
              return new InstrumentUsage(
                  in.instrument(),
                  in.profile(),
                  n,
                  n == 0 ? -1 : series.timestampMillis(n - 1),
                  n == 0 ? Double.NaN : series.powerW(n - 1),
                  usage);
            });
  }

  /** What a derivation over [from, to) needs: the profile in force and the samples around it. */
  private record Inputs(
      Instrument instrument,
      ProfileVersion profile,
      ProfileSchedule schedule,
      ObservationSeries series) {}

  private Optional<Inputs> read(String instrumentId, Instant from, Instant to) {
    Optional<Instrument> instrument = registry.instrument(instrumentId);
    if (instrument.isEmpty()) {
      return Optional.empty();
    }
    List<ProfileVersion> versions = registry.profiles(instrumentId);
    if (versions.isEmpty()) {
      throw new IllegalStateException("instrument " + instrumentId + " has no derivation profile");
    }
    ProfileVersion profile = null;
    for (ProfileVersion v : versions) {
      if (!v.validFrom().isAfter(from) || profile == null) {
        profile = v;
      }
    }
    ProfileSchedule all = schedule(versions);
    long margin = contextMarginMillis(all);
    ObservationSeries series =
        reader.read(instrumentId, from.toEpochMilli() - margin, to.toEpochMilli() + margin);
    return Optional.of(new Inputs(instrument.get(), profile, all, series));
  }
}
