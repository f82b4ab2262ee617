package org.labmeter.metering.auth;

/**
 * A token just created: the stored record and the one text that authenticates as it ({@code
 * lm_<id>_<secret>}). Shown to the caller once; only a hash of the secret is kept.
 */
public record IssuedToken(ApiToken token, String bearer) {
  /** Never prints the secret. */
  @Override
  public String toString() {
    return "IssuedToken[" + token + "]";
  }
}
