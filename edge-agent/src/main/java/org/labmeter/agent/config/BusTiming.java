package org.labmeter.agent.config;

/**
 * How the poller treats a bus. A dead device costs at most {@code requestTimeoutMillis * (retries +
 * 1)} plus the backoff per request; that is the most it can delay the other devices of its bus.
 *
 * @param requestTimeoutMillis how long to wait for one response
 * @param retries further tries after a timeout or a lost connection (not after an exception
 *     response: the device answered)
 * @param retryBackoffMillis wait before the first retry, doubled for each further one
 * @param pauseMillis quiet time between two requests on the bus (slow RS-485 converters need it)
 * @param maxRegistersPerRequest longer reads are split, 4..125
 * @param reconnectMillis wait before reconnecting after the connection failed
 */
public record BusTiming(
    long requestTimeoutMillis,
    int retries,
    long retryBackoffMillis,
    long pauseMillis,
    int maxRegistersPerRequest,
    long reconnectMillis) {
  public static final BusTiming DEFAULT = new BusTiming(500, 1, 100, 20, 60, 2000);

  public BusTiming {
    InvalidConfigException.requireRange("requestTimeoutMillis", requestTimeoutMillis, 20, 60_000);
    InvalidConfigException.requireRange("retries", retries, 0, 5);
    InvalidConfigException.requireRange("retryBackoffMillis", retryBackoffMillis, 0, 60_000);
    InvalidConfigException.requireRange("pauseMillis", pauseMillis, 0, 10_000);
    InvalidConfigException.requireRange("maxRegistersPerRequest", maxRegistersPerRequest, 4, 125);
    InvalidConfigException.requireRange("reconnectMillis", reconnectMillis, 10, 600_000);
  }
}
