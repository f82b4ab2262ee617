package org.labmeter.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code clock} section: how the agent measures its clock offset, which every batch carries
 * ({@code clockOffset}, reference time minus agent time, in ms) so an evaluator can judge the
 * timestamps. Unknown is sent when no measurement is fresh, never zero.
 *
 * @param source where the offset comes from
 * @param servers NTP servers for {@link Source#SNTP}, {@code host} or {@code host:port}, tried in
 *     order until one answers
 * @param intervalSeconds time between measurements
 * @param timeoutMillis how long to wait for one server's reply (or for {@code chronyc})
 * @param chronyc the {@code chronyc} program for {@link Source#CHRONY}
 */
public record ClockConfig(
    Source source, List<String> servers, int intervalSeconds, int timeoutMillis, Path chronyc) {
  public static final ClockConfig NONE =
      new ClockConfig(Source.NONE, List.of(), 64, 2_000, Path.of("/usr/bin/chronyc"));

  /** Where the offset comes from. */
  public enum Source {
    /** Not measured: every batch says unknown. */
    NONE,
    /** Our own SNTP client (RFC 4330) against {@code servers}. */
    SNTP,
    /** The system's chrony daemon, read with {@code chronyc -c tracking}. */
    CHRONY;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Source> fromConfigName(String name) {
      for (Source s : values()) {
        if (s.configName().equals(name)) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  public ClockConfig {
    if (source == null) {
      throw new InvalidConfigException("source", "missing; allowed: none, sntp, chrony");
    }
    servers = List.copyOf(servers == null ? List.of() : servers);
    if (source == Source.SNTP && servers.isEmpty()) {
      throw new InvalidConfigException(
          "servers", "is empty; source sntp needs at least one, e.g. [ntp.example.org]");
    }
    for (int i = 0; i < servers.size(); i++) {
      checkServer("servers[" + i + "]", servers.get(i));
    }
    InvalidConfigException.requireRange("intervalSeconds", intervalSeconds, 1, 86_400);
    InvalidConfigException.requireRange("timeoutMillis", timeoutMillis, 50, 30_000);
    if (source == Source.CHRONY && chronyc == null) {
      throw new InvalidConfigException("chronyc", "missing; e.g. /usr/bin/chronyc");
    }
  }

  public static ClockConfig sntp(List<String> servers, int intervalSeconds, int timeoutMillis) {
    return new ClockConfig(Source.SNTP, servers, intervalSeconds, timeoutMillis, NONE.chronyc());
  }

  /** The host of a {@code host[:port]} server entry. */
  public static String host(String server) {
    int colon = server.lastIndexOf(':');
    return colon < 0 ? server : server.substring(0, colon);
  }

  /** The port of a {@code host[:port]} server entry; 123 when none is given. */
  public static int port(String server) {
    int colon = server.lastIndexOf(':');
    return colon < 0 ? 123 : Integer.parseInt(server.substring(colon + 1));
  }

  private static void checkServer(String field, String server) {
    String allowed = "; allowed: host or host:port, e.g. ntp.example.org or 10.0.0.1:123";
    if (server == null || server.isBlank() || host(server).isBlank()) {
      throw new InvalidConfigException(field, "is empty" + allowed);
    }
    int colon = server.lastIndexOf(':');
    if (colon >= 0) {
      try {
        int port = Integer.parseInt(server.substring(colon + 1));
        if (port < 1 || port > 65_535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(field, "'" + server + "' has no valid port" + allowed);
      }
    }
  }
}
