package org.labmeter.collector.mqtt;

import java.util.Locale;

/** Whether the TLS listener asks agents for a client certificate. */
public enum ClientAuthMode {
  /** No certificate is asked for; agents prove themselves with their password. */
  NONE,
  /** A certificate is asked for but may be missing; one that is presented must name the agent. */
  OPTIONAL,
  /** The TLS handshake fails without a certificate signed by a trusted authority. */
  REQUIRED;

  /** Reads {@code none}, {@code optional} or {@code required}, ignoring case. */
  public static ClientAuthMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }
}
