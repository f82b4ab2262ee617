package org.labmeter.collector;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Byte-level mutations for fuzzing: bit flips, overwritten bytes, truncations, insertions,
 * deletions, random tails, rewritten length fields and pure noise. Deterministic for a given {@link
 * Random}, so that a failing seed replays exactly.
 */
final class Mutator {
  /** Values that tend to sit on a parser's boundaries. */
  private static final int[] EDGE_BYTES = {0x00, 0x01, 0x02, 0x3F, 0x40, 0x7F, 0x80, 0xFE, 0xFF};

  private final Random random;

  Mutator(Random random) {
    this.random = random;
  }

  /**
   * One to four stacked mutations of {@code input}; {@code lengthFields} are offsets of length or
   * count fields in it (one byte each) that a "length change" may rewrite.
   */
  byte[] mutate(byte[] input, List<Integer> lengthFields) {
    byte[] out = input;
    int rounds = 1 + random.nextInt(4);
    for (int i = 0; i < rounds; i++) {
      out = once(out, lengthFields);
    }
    return out;
  }

  private byte[] once(byte[] in, List<Integer> lengthFields) {
    int kind = random.nextInt(9);
    if (in.length == 0 && kind < 6) {
      kind = 7;
    }
    return switch (kind) {
      case 0 -> flipBit(in);
      case 1 -> setByte(in);
      case 2 -> Arrays.copyOf(in, random.nextInt(in.length)); // truncate
      case 3 -> insert(in);
      case 4 -> delete(in);
      case 5 -> lengthFields.isEmpty() ? flipBit(in) : setLengthField(in, lengthFields);
      case 6 -> append(in, noise(1 + random.nextInt(64)));
      case 7 -> noise(random.nextInt(300));
      default -> append(in, Arrays.copyOfRange(in, random.nextInt(in.length + 1), in.length));
    };
  }

  private byte[] flipBit(byte[] in) {
    byte[] out = in.clone();
    out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    return out;
  }

  private byte[] setByte(byte[] in) {
    byte[] out = in.clone();
    out[random.nextInt(out.length)] = edgeOrRandom();
    return out;
  }

  private byte[] setLengthField(byte[] in, List<Integer> lengthFields) {
    int at = lengthFields.get(random.nextInt(lengthFields.size()));
    if (at >= in.length) {
      return flipBit(in);
    }
    byte[] out = in.clone();
    out[at] =
        random.nextBoolean()
            ? edgeOrRandom()
            : (byte) (out[at] + random.nextInt(5) - 2); // off by up to two
    return out;
  }

  private byte[] insert(byte[] in) {
    int at = random.nextInt(in.length + 1);
    byte[] extra = noise(1 + random.nextInt(8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(in, 0, at);
    out.writeBytes(extra);
    out.write(in, at, in.length - at);
    return out.toByteArray();
  }

  private byte[] delete(byte[] in) {
    int from = random.nextInt(in.length);
    int to = Math.min(in.length, from + 1 + random.nextInt(16));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(in, 0, from);
    out.write(in, to, in.length - to);
    return out.toByteArray();
  }

  private byte edgeOrRandom() {
    return random.nextBoolean()
        ? (byte) EDGE_BYTES[random.nextInt(EDGE_BYTES.length)]
        : (byte) random.nextInt(256);
  }

  byte[] noise(int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  private static byte[] append(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
