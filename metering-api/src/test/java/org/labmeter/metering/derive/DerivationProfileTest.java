package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class DerivationProfileTest {

  private static final Consumer<DerivationProfile.Builder> VALID =
      b ->
          b.offBelowW(0.1)
              .onThresholdW(1200)
              .offThresholdW(600.5)
              .minOn(Duration.ofSeconds(60))
              .minOff(Duration.ofSeconds(30))
              .maxSampleGap(Duration.ofSeconds(20));

  private static DerivationProfile valid() {
    return DerivationProfile.create(VALID);
  }

  private static void refused(Consumer<DerivationProfile.Builder> change, String message) {
    assertThatThrownBy(() -> DerivationProfile.create(VALID.andThen(change)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void offThresholdAboveOnThresholdIsRefused() {
    refused(
        b -> b.onThresholdW(1200).offThresholdW(1500),
        "offThresholdW (1500.0) must not exceed onThresholdW (1200.0)");
  }

  @Test
  void negativeWattsAreRefused() {
    refused(b -> b.offBelowW(-1), "offBelowW (-1.0) must not be negative");
    refused(b -> b.offThresholdW(-5), "offThresholdW (-5.0) must not be negative");
  }

  @Test
  void offBelowAboveOffThresholdIsRefused() {
    refused(b -> b.offBelowW(700), "offBelowW (700.0) must not exceed offThresholdW (600.5)");
  }

  @Test
  void nonPositiveSampleGapIsRefused() {
    refused(b -> b.maxSampleGap(Duration.ZERO), "maxSampleGap (PT0S) must be positive");
    refused(b -> b.maxSampleGap(Duration.ofSeconds(-1)), "maxSampleGap (PT-1S) must be positive");
    refused(b -> b.maxSampleGap(null), "maxSampleGap must be set");
  }

  @Test
  void badDwellTimesAreRefused() {
    refused(b -> b.minOn(Duration.ofMillis(-1)), "minOn (PT-0.001S) must be zero or positive");
    refused(
        b -> b.minOff(Duration.ofNanos(1_500_000)),
        "minOff (PT0.0015S) must be a whole number of milliseconds");
    refused(b -> b.minOn(Duration.ofDays(4000)), "minOn (PT96000H) must not exceed 3660 days");
  }

  @Test
  void missingOrNonFiniteWattsAreRefused() {
    assertThatThrownBy(
            () ->
                DerivationProfile.create(
                    b -> b.offBelowW(1).offThresholdW(2).maxSampleGap(Duration.ofSeconds(1))))
        .hasMessage("onThresholdW must be set (watts)");
    refused(
        b -> b.onThresholdW(Double.POSITIVE_INFINITY),
        "onThresholdW must be a finite number of watts, got Infinity");
  }

  @Test
  void dwellTimesDefaultToZero() {
    DerivationProfile p =
        DerivationProfile.create(
            b ->
                b.offBelowW(0)
                    .onThresholdW(10)
                    .offThresholdW(10)
                    .maxSampleGap(Duration.ofSeconds(5)));
    assertThat(p.minOn()).isZero();
    assertThat(p.minOff()).isZero();
  }

  @Test
  void canonicalTextIsExactDecimalsAndMillis() {
    assertThat(valid().canonicalText())
        .isEqualTo(
            "labmeter-derivation-profile/1\n"
                // the double nearest 0.1, written out exactly
                + "offBelowW=0.1000000000000000055511151231257827021181583404541015625\n"
                + "onThresholdW=1200\n"
                + "offThresholdW=600.5\n"
                + "minOnMillis=60000\n"
                + "minOffMillis=30000\n"
                + "maxSampleGapMillis=20000\n");
  }

  @Test
  void parameterHashIsStable() {
    // printf '<the canonical text above>' | sha256sum
    assertThat(valid().parameterHash())
        .isEqualTo("3505b4bfeec72b762d91445dd0de1b9099168e7a0c13bce0b6bd9442ce03dd76");
    assertThat(DerivationProfile.create(b -> b.from(valid())).parameterHash())
        .isEqualTo(valid().parameterHash());
  }

  @Test
  void parameterHashChangesWithEveryParameter() {
    List<Consumer<DerivationProfile.Builder>> changes =
        List.of(
            b -> b.offBelowW(0.2),
            b -> b.onThresholdW(1201),
            b -> b.offThresholdW(600),
            b -> b.minOn(Duration.ofSeconds(61)),
            b -> b.minOff(Duration.ofSeconds(31)),
            b -> b.maxSampleGap(Duration.ofSeconds(21)));
    List<String> hashes =
        changes.stream()
            .map(c -> DerivationProfile.create(VALID.andThen(c)).parameterHash())
            .toList();
    assertThat(hashes).doesNotHaveDuplicates().doesNotContain(valid().parameterHash());
  }
}
