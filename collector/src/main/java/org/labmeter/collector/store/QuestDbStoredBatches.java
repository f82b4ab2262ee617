package org.labmeter.collector.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.labmeter.collector.verify.ChainEntry;
import org.labmeter.collector.verify.ChainId;
import org.labmeter.collector.verify.StoredBatches;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.Ids;

/**
 * The batch records in QuestDB's {@code lm_batches}, read through {@code /exec}, for placing
 * batches that arrive below their chain head. Blocking; called on the chain's worker only for
 * batches the verifier's window does not hold. Ids are checked against the wire's id alphabet
 * before they are put into SQL.
 */
public final class QuestDbStoredBatches implements StoredBatches {
  private static final String ZERO = BatchHash.ZERO.toHex();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RANGE_COLUMNS =
      "seq, hash, prev_hash, chain_ok, first_ts, last_ts, received_at, envelope";

  /** Chains asked for in one query: about 130 characters of SQL each, sent in a URL. */
  static final int CHAINS_PER_QUERY = 32;

  private final String baseUrl;
  private final HttpClient http;

  public QuestDbStoredBatches(String httpBaseUrl) {
    this.baseUrl = httpBaseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Optional<ChainEntry> find(ChainId chain, long sequence, long sinceTsMillis) {
    List<ChainEntry> rows = range(chain, sequence, sequence, sinceTsMillis);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** One query; where a sequence has several rows, the one received last counts. */
  @Override
  public List<ChainEntry> range(
      ChainId chain, long fromSequence, long toSequence, long sinceTsMillis) {
    String sql =
        "SELECT "
            + RANGE_COLUMNS
            + " FROM lm_batches WHERE "
            + where(chain)
            + " AND seq >= "
            + fromSequence
            + " AND seq <= "
            + toSequence
            + sinceBound(sinceTsMillis)
            + " ORDER BY seq, received_at";
    Map<Long, ChainEntry> bySeq = new LinkedHashMap<>();
    for (JsonNode r : query(sql)) {
      ChainEntry e = entry(r);
      bySeq.put(e.sequence(), e);
    }
    return new ArrayList<>(bySeq.values());
  }

  /** ts is the first sample's time: a bound on it lets QuestDB skip older partitions. */
  private static String sinceBound(long sinceTsMillis) {
    return sinceTsMillis <= Long.MIN_VALUE / 1000
        ? ""
        : " AND ts >= cast(" + sinceTsMillis * 1000L + " AS TIMESTAMP)";
  }

  private static ChainEntry entry(JsonNode r) {
    byte[] envelope = Base64.getDecoder().decode(r.get(7).asText());
    return new ChainEntry(
        r.get(0).asLong(),
        BatchHash.ofHex(r.get(1).asText()),
        BatchHash.ofHex(r.get(2).asText()),
        r.get(3).asBoolean(),
        r.get(4).asLong(),
        r.get(5).asLong(),
        r.get(6).asLong(),
        BatchCodec.decode(envelope) instanceof DecodeResult.Decoded d ? d.signedBatch() : null);
  }

  /**
   * One query per {@value #CHAINS_PER_QUERY} chains: the SQL travels in the URL of a GET, and a
   * collector that meets a fleet it holds no heads for (after a start) asks for many chains at
   * once.
   */
  @Override
  public Map<ChainId, List<ChainEntry>> ranges(
      Map<ChainId, Span> spans, Map<ChainId, Long> sinceTsMillis) {
    Map<ChainId, Map<Long, ChainEntry>> bySeq = new LinkedHashMap<>();
    for (List<ChainId> chains : perQuery(spans.keySet(), sinceTsMillis)) {
      List<String> terms = new ArrayList<>();
      for (ChainId chain : chains) {
        Span span = spans.get(chain);
        terms.add(
            "("
                + where(chain)
                + " AND seq >= "
                + span.from()
                + " AND seq <= "
                + span.to()
                + sinceBound(sinceTsMillis.getOrDefault(chain, Long.MIN_VALUE))
                + ")");
        bySeq.put(chain, new LinkedHashMap<>());
      }
      String sql =
          "SELECT "
              + RANGE_COLUMNS
              + ", agent, instrument FROM lm_batches WHERE ("
              + String.join(" OR ", terms)
              + ")"
              + sinceBound(lowest(chains, sinceTsMillis))
              + " ORDER BY seq, received_at";
      for (JsonNode r : query(sql)) {
        Map<Long, ChainEntry> rows = bySeq.get(new ChainId(r.get(8).asText(), r.get(9).asText()));
        ChainEntry e = entry(r);
        rows.put(e.sequence(), e); // where a sequence has several rows, the last received counts
      }
    }
    Map<ChainId, List<ChainEntry>> out = new LinkedHashMap<>();
    bySeq.forEach((chain, rows) -> out.put(chain, new ArrayList<>(rows.values())));
    return out;
  }

  @Override
  public Map<ChainId, Long> chainStarts(Map<ChainId, Long> sinceTsMillis) {
    Map<ChainId, Long> out = new LinkedHashMap<>();
    for (List<ChainId> some : perQuery(sinceTsMillis.keySet(), sinceTsMillis)) {
      List<String> terms = new ArrayList<>();
      for (ChainId chain : some) {
        terms.add("(" + where(chain) + sinceBound(sinceTsMillis.get(chain)) + ")");
        out.put(chain, Long.MIN_VALUE);
      }
      String sql =
          "SELECT agent, instrument, max(first_ts) FROM lm_batches WHERE seq = 0"
              + " AND prev_hash = '"
              + ZERO
              + "' AND ("
              + String.join(" OR ", terms)
              + ")"
              + sinceBound(lowest(some, sinceTsMillis));
      for (JsonNode r : query(sql)) {
        if (!r.get(2).isNull()) {
          out.put(new ChainId(r.get(0).asText(), r.get(1).asText()), r.get(2).asLong());
        }
      }
    }
    return out;
  }

  /**
   * {@code chains} cut into the lists that one query each asks for, those with the latest {@code
   * since} first: chains bounded alike share a query, whose common bound ({@link #lowest}) is what
   * lets QuestDB skip partitions (a bound inside each chain's term of an OR does not).
   */
  private static List<List<ChainId>> perQuery(
      Collection<ChainId> chains, Map<ChainId, Long> sinceTsMillis) {
    List<ChainId> all = new ArrayList<>(chains);
    all.sort(
        Comparator.comparingLong((ChainId c) -> sinceTsMillis.getOrDefault(c, Long.MIN_VALUE))
            .reversed());
    List<List<ChainId>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += CHAINS_PER_QUERY) {
      out.add(all.subList(i, Math.min(all.size(), i + CHAINS_PER_QUERY)));
    }
    return out;
  }

  /** The earliest {@code since} of {@code chains}: {@link Long#MIN_VALUE} if one has none. */
  private static long lowest(List<ChainId> chains, Map<ChainId, Long> sinceTsMillis) {
    long low = Long.MAX_VALUE;
    for (ChainId chain : chains) {
      low = Math.min(low, sinceTsMillis.getOrDefault(chain, Long.MIN_VALUE));
    }
    return low;
  }

  @Override
  public long chainStart(ChainId chain) {
    return chainStart(chain, Long.MIN_VALUE);
  }

  /**
   * The first sample time of the chain's newest genesis batch whose {@code ts} is at or after
   * {@code sinceTsMillis}, or {@link Long#MIN_VALUE} when none is: QuestDB reads only the
   * partitions from that time on.
   */
  public long chainStart(ChainId chain, long sinceTsMillis) {
    JsonNode rows =
        query(
            "SELECT max(first_ts) FROM lm_batches WHERE "
                + where(chain)
                + " AND seq = 0 AND prev_hash = '"
                + ZERO
                + "'"
                + sinceBound(sinceTsMillis));
    return rows.isEmpty() || rows.get(0).get(0).isNull()
        ? Long.MIN_VALUE
        : rows.get(0).get(0).asLong();
  }

  /** A stored batch that is not verified: its chain, sequence, first sample time and arrival. */
  public record Unverified(
      ChainId chain, long sequence, long firstTsMillis, long receivedAtMillis) {}

  /**
   * Batches stored with {@code chain_ok = false}, received at or after {@code receivedAfterMillis}
   * and with {@code ts} at or after {@code sinceTsMillis}, newest first, at most {@code limit};
   * genesis batches excluded (they are never unverified). The {@code ts} bound is what keeps the
   * scan to the recent partitions. For the chain sweeper.
   */
  public List<Unverified> unverified(long receivedAfterMillis, long sinceTsMillis, int limit) {
    JsonNode rows =
        query(
            "SELECT agent, instrument, seq, first_ts, received_at FROM lm_batches"
                + " WHERE chain_ok = false"
                + " AND seq > 0 AND received_at >= "
                + receivedAfterMillis
                + sinceBound(sinceTsMillis)
                + " ORDER BY received_at DESC LIMIT "
                + limit);
    List<Unverified> out = new ArrayList<>();
    for (JsonNode r : rows) {
      String agent = r.get(0).asText();
      String instrument = r.get(1).asText();
      if (Ids.isValid(agent) && Ids.isValid(instrument)) {
        out.add(
            new Unverified(
                new ChainId(agent, instrument),
                r.get(2).asLong(),
                r.get(3).asLong(),
                r.get(4).asLong()));
      }
    }
    return out;
  }

  private static String where(ChainId chain) {
    if (!Ids.isValid(chain.agentId()) || !Ids.isValid(chain.instrumentId())) {
      throw new IllegalArgumentException("not a wire id: " + chain);
    }
    return "agent = '" + chain.agentId() + "' AND instrument = '" + chain.instrumentId() + "'";
  }

  private JsonNode query(String sql) {
    try {
      JsonNode body = JSON.readTree(StoreSchema.exec(http, baseUrl, sql));
      return body.get("dataset");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lm_batches: " + e.getMessage(), e);
    }
  }
}
