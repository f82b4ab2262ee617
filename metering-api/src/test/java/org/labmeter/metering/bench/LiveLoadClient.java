package org.labmeter.metering.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens {@code clients} connections to /api/v1/live and measures, for every event, its age on
 * arrival: arrival time minus the hub's poll time ({@code "at"}). Reads raw bytes on Vert.x event
 * loops (no text decoding), so that the client is not what limits the rate. Prints p50, p99 and max
 * after {@code seconds}, the first five seconds not counted.
 *
 * <p>Arguments: base URL, clients (500), seconds (30).
 */
public final class LiveLoadClient {
  private static final byte[] AT = "{\"at\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID = "{\"id\":".getBytes(StandardCharsets.US_ASCII);

  private LiveLoadClient() {}

  /** Ages in milliseconds. */
  static final class Ages {
    private long[] v = new long[1 << 16];
    private int n;

    synchronized void add(long ms) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = ms;
    }

    synchronized String summary() {
      if (n == 0) {
        return "no events";
      }
      long[] s = Arrays.copyOf(v, n);
      Arrays.sort(s);
      return String.format(
          "n=%,d p50=%d ms p99=%d ms max=%d ms", n, s[n / 2], s[(int) (n * 0.99)], s[n - 1]);
    }
  }

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    String token = args.length > 3 ? args[3] : null;
    Vertx vertx = Vertx.vertx();
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort()),
            new PoolOptions().setHttp1MaxSize(clients));
    Ages ages = new Ages();
    AtomicLong instruments = new AtomicLong();
    AtomicLong connected = new AtomicLong();
    AtomicLong ended = new AtomicLong();
    long warmUntil = System.currentTimeMillis() + 5000;
    for (int c = 0; c < clients; c++) {
      http.request(HttpMethod.GET, "/api/v1/live")
          .compose(
              req -> {
                if (token != null) {
                  req.putHeader("Authorization", "Bearer " + token);
                }
                return req.send();
              })
          .onSuccess(
              resp -> {
                connected.incrementAndGet();
                resp.handler(
                    buf -> {
                      long arrived = System.currentTimeMillis();
                      if (arrived >= warmUntil) {
                        scan(buf, arrived, ages, instruments);
                      }
                    });
                resp.endHandler(v -> ended.incrementAndGet());
                resp.exceptionHandler(e -> ended.incrementAndGet());
              })
          .onFailure(e -> ended.incrementAndGet());
    }
    long until = System.currentTimeMillis() + seconds * 1000L;
    // the measured period: the clients' events arrive on Vert.x threads meanwhile
    new java.util.concurrent.CountDownLatch(1)
        .await(until - System.currentTimeMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    double measured = (until - warmUntil) / 1000.0;
    System.out.printf(
        "%d clients connected for %d s (first 5 s not counted); connections ended early: %d%n",
        connected.get(), seconds, ended.get());
    System.out.printf(
        "instrument updates delivered: %,d (%.0f per client per second)%n",
        instruments.get(), instruments.get() / measured / clients);
    System.out.println("event age since the hub's poll: " + ages.summary());
    System.exit(0);
  }

  /** Finds event starts ({"at":<millis>,) and instrument objects in one received buffer. */
  static void scan(Buffer buf, long arrived, Ages ages, AtomicLong instruments) {
    byte[] b = buf.getBytes();
    long count = 0;
    for (int i = 0; i + 6 < b.length; i++) {
      if (b[i] != '{' || b[i + 1] != '"') {
        continue;
      }
      if (matches(b, i, ID)) {
        count++;
      } else if (matches(b, i, AT)) {
        long at = 0;
        int k = i + AT.length;
        while (k < b.length && b[k] >= '0' && b[k] <= '9') {
          at = at * 10 + (b[k++] - '0');
        }
        if (k < b.length && b[k] == ',') {
          ages.add(arrived - at);
        }
      }
    }
    instruments.addAndGet(count);
  }

  private static boolean matches(byte[] b, int i, byte[] p) {
    if (i + p.length > b.length) {
      return false;
    }
    for (int j = 0; j < p.length; j++) {
      if (b[i + j] != p[j]) {
        return false;
      }
    }
    return true;
  }
}
