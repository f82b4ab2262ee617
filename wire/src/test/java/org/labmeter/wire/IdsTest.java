package org.labmeter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdsTest {
  /** The documented alphabet, as a regular expression: the reference the check is held to. */
  private static final Pattern DOCUMENTED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Test
  void everySingleCharacterOfTheFirstPlanesIsJudgedAsTheDocumentedAlphabet() {
    for (char c = 0; c < 0x3000; c++) {
      String id = String.valueOf(c);
      assertThat(Ids.isValid(id)).as("U+%04X", (int) c).isEqualTo(DOCUMENTED.matcher(id).matches());
    }
  }

  @Test
  void lengthIsOneToSixtyFour() {
    assertThat(Ids.isValid("")).isFalse();
    assertThat(Ids.isValid(null)).isFalse();
    assertThat(Ids.isValid("a")).isTrue();
    assertThat(Ids.isValid("a".repeat(64))).isTrue();
    assertThat(Ids.isValid("a".repeat(65))).isFalse();
    assertThatThrownBy(() -> Ids.requireValid("agentId", "a".repeat(65)))
        .hasMessageContaining("agentId must be 1..64 characters");
  }

  @Test
  void randomStringsAgreeWithTheDocumentedAlphabet() {
    Random random = new Random(42);
    String pool = "aZ09._-/+# \u00e9\u0663\uff10x";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(70);
      for (int k = 0; k < length; k++) {
        s.append(pool.charAt(random.nextInt(pool.length())));
      }
      String id = s.toString();
      assertThat(Ids.isValid(id)).as(id).isEqualTo(DOCUMENTED.matcher(id).matches());
    }
  }
}
