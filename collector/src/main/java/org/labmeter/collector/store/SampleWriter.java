package org.labmeter.collector.store;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import com.influxdb.client.write.WriteParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.wire.SignedBatch;

/**
 * Writes accepted batches through the InfluxDB v2 write API, which InfluxDB 2.x/3.x and QuestDB
 * ({@code /api/v2/write}) all accept. Uses the blocking API on purpose: the async one buffers,
 * drops and retries on its own, while the collector must know that a batch landed before it sends
 * PUBACK. Samples and batch records of any number of batches go in one request, which QuestDB
 * commits (fsync'd) once. Blocking: call it from a worker thread.
 */
public final class SampleWriter implements BatchStore, AutoCloseable {
  private final InfluxDBClient client;
  private final WriteApiBlocking writeApi;
  private final WriteParameters parameters;

  /** Capacity hint for one batch: ten samples of about 130 characters, a record of about 700. */
  private static final int LINE_BYTES_PER_BATCH_GUESS = 2_048;

  /**
   * @param token API token, or {@code null} (QuestDB needs none)
   * @param org organisation, passed along even where the store ignores it
   * @param bucket bucket, passed along even where the store ignores it
   */
  public SampleWriter(String url, String token, String org, String bucket, Duration timeout) {
    InfluxDBClientOptions.Builder options =
        InfluxDBClientOptions.builder()
            .url(url)
            .org(org)
            .bucket(bucket)
            .precision(WritePrecision.MS)
            .okHttpClient(
                new OkHttpClient.Builder()
                    .connectTimeout(Math.min(timeout.toMillis(), 10_000), TimeUnit.MILLISECONDS)
                    .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .writeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .retryOnConnectionFailure(false));
    if (token != null) {
      options.authenticateToken(token.toCharArray());
    }
    this.client = InfluxDBClientFactory.create(options.build());
    this.writeApi = client.getWriteApiBlocking();
    this.parameters = new WriteParameters(bucket, org, WritePrecision.MS);
  }

  public static SampleWriter create(CollectorConfig config) {
    return new SampleWriter(
        config.storeUrl(),
        config.storeToken(),
        config.storeOrg(),
        config.storeBucket(),
        config.storeTimeout());
  }

  /**
   * Writes the batch's samples to {@code lm_samples} and its record (with the envelope as evidence)
   * to {@code lm_batches}, in one request.
   *
   * @param chainOk whether the batch links to its chain head
   * @param receivedAtMillis when the collector received it
   */
  public void write(SignedBatch batch, boolean chainOk, long receivedAtMillis)
      throws StoreWriteException {
    write(List.of(new BatchWrite(batch, chainOk, receivedAtMillis)));
  }

  /**
   * Writes the samples and records of all {@code batches} in one request: one commit in the store
   * instead of one per batch.
   */
  @Override
  public void write(List<BatchWrite> batches) throws StoreWriteException {
    if (batches.isEmpty()) {
      return;
    }
    // line protocol built directly (a Point per sample cost more CPU than verifying its batch),
    // one String per batch: the client joins them into the request once, where one String for
    // the whole group cost two more copies of a body of megabytes (humongous objects for G1)
    List<String> records = new ArrayList<>(batches.size());
    StringBuilder lines = new StringBuilder(LINE_BYTES_PER_BATCH_GUESS);
    long writtenAt = System.currentTimeMillis();
    for (BatchWrite b : batches) {
      lines.setLength(0);
      BatchPoints.appendTo(lines, b.batch(), b.chainOk(), b.receivedAtMillis(), writtenAt);
      lines.setLength(lines.length() - 1); // the client separates records itself
      records.add(lines.toString());
    }
    try {
      writeApi.writeRecords(records, parameters);
    } catch (RuntimeException e) {
      throw new StoreWriteException("store write failed: " + e.getMessage(), e);
    }
  }

  /** Writes other tables' points (quarantine, agent status) through the same client. */
  void writePoints(List<Point> points) throws StoreWriteException {
    try {
      writeApi.writePoints(points, parameters);
    } catch (RuntimeException e) {
      throw new StoreWriteException("store write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
