/**
 * Evidence bundles and their offline verifier: an evaluator reproduces the facility's number from
 * the signed envelopes, the agents' public keys and the profile, without trusting the facility's
 * server. Plain Java with no Vert.x types; see docs/evidence.md.
 */
package org.labmeter.metering.evidence;
