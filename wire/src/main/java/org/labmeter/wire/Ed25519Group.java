package org.labmeter.wire;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * The edwards25519 group arithmetic behind {@link SignatureCheck}: point decoding, odd-multiple
 * tables and one multi-scalar multiplication (over the scalars' {@link SignedDigits}) whose result
 * is multiplied by the cofactor 8 and compared with the neutral element.
 *
 * <p>Field arithmetic is Bouncy Castle's {@code X25519Field} (radix 2^25.5, ten limbs); the point
 * formulas and their carry discipline follow its RFC 8032 implementation: extended coordinates for
 * the accumulator with T kept as the product of two factors (so doublings need not compute it), and
 * table entries as (y+x, y-x, 2dT, 2Z) so that an addition needs no halving. Everything here runs
 * on public data (public keys, signatures, messages), so variable-time code is fine.
 */
final class Ed25519Group {
  /** Field arithmetic, named as in Bouncy Castle's own Ed25519 code. */
  private abstract static class F extends X25519Field {
    private F() {}
  }

  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  /** The prime order of the base point. */
  static final BigInteger L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static final int[] D = fieldConstant(curveD());
  private static final int[] D2 = fieldConstant(curveD().shiftLeft(1).mod(P));

  /** Signed-window width for per-signature points: tables of 8 odd multiples. */
  static final int WIDTH = 5;

  /** Signed-window width for the base point, whose table is built once: 64 odd multiples. */
  static final int BASE_WIDTH = 8;

  private static final byte[] BASE_ENCODED = baseEncoding();
  private static final Table BASE_TABLE = baseTable();

  private Ed25519Group() {}

  /** An affine point. */
  static final class Affine {
    final int[] x = F.create();
    final int[] y = F.create();
  }

  /** Extended coordinates: x = X/Z, y = Y/Z, X·Y = Z·T. */
  private static final class Extended {
    final int[] x = F.create();
    final int[] y = F.create();
    final int[] z = F.create();
    final int[] t = F.create();
  }

  /** The accumulator: extended coordinates with T = U·V left unmultiplied. */
  private static final class Accum {
    final int[] x = F.create();
    final int[] y = F.create();
    final int[] z = F.create();
    final int[] u = F.create();
    final int[] v = F.create();
    final int[] tmp = F.create();
  }

  /** A table entry: (Y+X, Y-X, 2dT, 2Z) of a point. */
  private static final class Entry {
    final int[] ypx = F.create();
    final int[] ymx = F.create();
    final int[] xyd = F.create();
    final int[] z = F.create();
  }

  /** The odd multiples P, 3P, 5P, ... of one point. */
  static final class Table {
    private final Entry[] entries;

    private Table(Entry[] entries) {
      this.entries = entries;
    }
  }

  /**
   * Decodes a 32-byte point encoding (RFC 8032 section 5.1.3), refusing a y that is not reduced
   * modulo p and x = 0 with the sign bit set, as Bouncy Castle's verifier does.
   *
   * @param negate whether to return the negation of the encoded point
   * @return false when the bytes encode no point of the curve
   */
  static boolean decode(byte[] p, int off, boolean negate, Affine r) {
    if (!canonicalY(p, off)) {
      return false;
    }
    int xSign = (p[off + 31] & 0x80) >>> 7;
    F.decode255(p, off, r.y, 0);
    int[] u = F.create();
    int[] v = F.create();
    F.sqr(r.y, u);
    F.mul(D, u, v);
    F.subOne(u);
    F.addOne(v);
    if (!F.sqrtRatioVar(u, v, r.x)) {
      return false;
    }
    F.normalize(r.x);
    if (xSign == 1 && F.isZeroVar(r.x)) {
      return false;
    }
    if (negate ^ (xSign != (r.x[0] & 1))) {
      F.negate(r.x, r.x);
      F.normalize(r.x);
    }
    return true;
  }

  /** Whether the 255-bit y of an encoding is below p = 2^255 - 19. */
  private static boolean canonicalY(byte[] p, int off) {
    if ((p[off + 31] & 0x7F) != 0x7F) {
      return true;
    }
    for (int i = 30; i >= 1; i--) {
      if ((p[off + i] & 0xFF) != 0xFF) {
        return true;
      }
    }
    return (p[off] & 0xFF) < 0xED;
  }

  /** Encodes an affine point (RFC 8032 section 5.1.2). */
  static byte[] encode(Affine a) {
    int[] x = F.create();
    int[] y = F.create();
    F.copy(a.x, 0, x, 0);
    F.copy(a.y, 0, y, 0);
    F.normalize(x);
    F.normalize(y);
    byte[] out = new byte[32];
    F.encode(y, out, 0);
    out[31] |= (byte) ((x[0] & 1) << 7);
    return out;
  }

  /** The table of the 2^(width-2) odd multiples of {@code p}. */
  static Table table(Affine p, int width) {
    Table t = emptyTable(width);
    fill(p, t, new Extended(), new Extended(), F.create(), F.create());
    return t;
  }

  private static Table emptyTable(int width) {
    Entry[] entries = new Entry[1 << (width - 2)];
    for (int i = 0; i < entries.length; i++) {
      entries[i] = new Entry();
    }
    return new Table(entries);
  }

  private static void fill(Affine p, Table t, Extended q, Extended twice, int[] t0, int[] t1) {
    F.copy(p.x, 0, q.x, 0);
    F.copy(p.y, 0, q.y, 0);
    F.one(q.z);
    F.mul(p.x, p.y, q.t);
    add(q, q, twice, t0, t1);
    Entry[] entries = t.entries;
    for (int i = 0; ; ) {
      entry(q, entries[i]);
      if (++i == entries.length) {
        break;
      }
      add(q, twice, q, t0, t1);
    }
  }

  /**
   * Tables built again and again by one thread, with the space to build them: a group check needs
   * one table per signature, and allocating them was about a fifth of the collector's garbage at
   * fleet rates. Not thread-safe; a table handed out is valid until its slot is filled again.
   */
  static final class TablePool {
    private final int width;
    private final Table[] tables;
    private final Extended q = new Extended();
    private final Extended twice = new Extended();
    private final int[] t0 = F.create();
    private final int[] t1 = F.create();

    TablePool(int width, int slots) {
      this.width = width;
      this.tables = new Table[slots];
    }

    /** Slot {@code slot}'s table, filled with the odd multiples of {@code p}. */
    Table fill(int slot, Affine p) {
      Table t = tables[slot];
      if (t == null) {
        t = emptyTable(width);
        tables[slot] = t;
      }
      Ed25519Group.fill(p, t, q, twice, t0, t1);
      return t;
    }
  }

  /**
   * Whether [8](Σ d_j·P_j) is the neutral element, where table {@code j} holds the odd multiples of
   * P_j and {@code digits[j]} the signed-window digits of its scalar; {@code baseDigits} are those
   * of the base point's scalar (width {@link #BASE_WIDTH}), or null.
   */
  static boolean sumTimesCofactorIsNeutral(Table[] tables, byte[][] digits, byte[] baseDigits) {
    int top = 255;
    while (top >= 0 && !anyDigit(digits, baseDigits, top)) {
      top--;
    }
    Accum r = new Accum();
    F.zero(r.x);
    F.one(r.y);
    F.one(r.z);
    F.zero(r.u);
    F.one(r.v);
    for (int bit = top; bit >= 0; bit--) {
      doublePoint(r);
      if (baseDigits != null && baseDigits[bit] != 0) {
        addDigit(baseDigits[bit], BASE_TABLE, r);
      }
      for (int j = 0; j < tables.length; j++) {
        byte d = digits[j][bit];
        if (d != 0) {
          addDigit(d, tables[j], r);
        }
      }
    }
    doublePoint(r);
    doublePoint(r);
    doublePoint(r);
    F.normalize(r.x);
    F.normalize(r.y);
    F.normalize(r.z);
    return F.isZeroVar(r.x) && !F.isZeroVar(r.y) && F.areEqualVar(r.y, r.z);
  }

  private static boolean anyDigit(byte[][] digits, byte[] baseDigits, int bit) {
    if (baseDigits != null && baseDigits[bit] != 0) {
      return true;
    }
    for (byte[] d : digits) {
      if (d[bit] != 0) {
        return true;
      }
    }
    return false;
  }

  private static void addDigit(byte digit, Table table, Accum r) {
    int index = (digit < 0 ? -digit : digit) >> 1;
    add(digit < 0, table.entries[index], r);
  }

  /** r += ±p (Hisil–Wong–Carter–Dawson, a = -1, with the table's doubled T and Z). */
  private static void add(boolean negate, Entry p, Accum r) {
    int[] a = r.x;
    int[] b = r.y;
    int[] c = r.tmp;
    int[] d = r.z;
    int[] e = r.u;
    int[] f = a;
    int[] g = b;
    int[] h = r.v;
    int[] na = negate ? b : a;
    int[] nb = negate ? a : b;
    int[] nf = na;
    int[] ng = nb;
    F.apm(r.y, r.x, b, a);
    F.mul(na, p.ymx, na);
    F.mul(nb, p.ypx, nb);
    F.mul(r.u, r.v, c);
    F.mul(c, p.xyd, c);
    F.mul(r.z, p.z, d);
    F.apm(b, a, h, e);
    F.apm(d, c, ng, nf);
    F.mul(f, g, r.z);
    F.mul(f, e, r.x);
    F.mul(g, h, r.y);
  }

  /** r = 2r (dbl-2008-hwcd for a = -1). */
  private static void doublePoint(Accum r) {
    int[] a = r.x;
    int[] b = r.y;
    int[] c = r.z;
    int[] e = r.u;
    int[] f = a;
    int[] g = b;
    int[] h = r.v;
    F.add(r.x, r.y, e);
    F.sqr(r.x, a);
    F.sqr(r.y, b);
    F.sqr(r.z, c);
    F.add(c, c, c);
    F.apm(a, b, h, g);
    F.sqr(e, e);
    F.sub(h, e, e);
    F.add(c, g, f);
    F.carry(f);
    F.mul(f, g, r.z);
    F.mul(f, e, r.x);
    F.mul(g, h, r.y);
  }

  /** r = p + q in extended coordinates (p or q may be r; q must not be r when p is not). */
  private static void add(Extended p, Extended q, Extended r, int[] t0, int[] t1) {
    int[] a = r.x;
    int[] b = r.y;
    int[] c = t0;
    int[] d = t1;
    int[] e = a;
    int[] f = c;
    int[] g = d;
    int[] h = b;
    F.apm(p.y, p.x, b, a);
    F.apm(q.y, q.x, d, c);
    F.mul(a, c, a);
    F.mul(b, d, b);
    F.mul(p.t, q.t, c);
    F.mul(c, D2, c);
    F.add(p.z, p.z, d);
    F.mul(d, q.z, d);
    F.apm(b, a, h, e);
    F.apm(d, c, g, f);
    F.mul(e, h, r.t);
    F.mul(f, g, r.z);
    F.mul(e, f, r.x);
    F.mul(h, g, r.y);
  }

  private static void entry(Extended p, Entry r) {
    F.apm(p.y, p.x, r.ypx, r.ymx);
    F.mul(p.t, D2, r.xyd);
    F.add(p.z, p.z, r.z);
  }

  private static BigInteger curveD() {
    BigInteger num = BigInteger.valueOf(-121665).mod(P);
    return num.multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  }

  private static int[] fieldConstant(BigInteger value) {
    int[] out = F.create();
    F.decode(littleEndian(value), 0, out);
    return out;
  }

  /** 32 little-endian bytes of a non-negative value below 2^256. */
  static byte[] littleEndian(BigInteger value) {
    byte[] be = value.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  /** The base point's encoding: y = 4/5, x even. */
  private static byte[] baseEncoding() {
    BigInteger y = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    return littleEndian(y);
  }

  private static Table baseTable() {
    Affine b = new Affine();
    if (!decode(BASE_ENCODED, 0, false, b)) {
      throw new IllegalStateException("the base point does not decode");
    }
    return table(b, BASE_WIDTH);
  }
}
