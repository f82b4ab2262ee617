package org.labmeter.adapters;

/**
 * Order of the 16-bit words of a multi-register value. Bytes inside each word are always big-endian
 * on Modbus; the word order is the part meters disagree on (Eastron: high word first; Carlo Gavazzi
 * EM24: low word first).
 */
public enum WordOrder {
  /** The first register holds the most significant word ("big-endian", "ABCD"). */
  HIGH_FIRST,
  /** The first register holds the least significant word ("word-swapped", "CDAB"). */
  LOW_FIRST
}
