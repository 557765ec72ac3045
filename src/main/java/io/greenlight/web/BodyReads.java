package io.greenlight.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many request bodies are being received right now, per client and in all: one client gets a small share
 * ({@code max-concurrent-body-reads-per-client}), never the whole of what all clients share, so a client trickling
 * bodies on many connections is refused itself and nobody else is. The totals keep server threads for requests without
 * a body and bound the heap bodies take. A client is counted only while it has a body arriving: the map holds at most
 * as many clients as there are bodies being received.
 */
final class BodyReads {

  enum Refusal { CLIENT_BUSY, SERVER_BUSY }

  /** A body being received, to be {@linkplain #close() closed} once it is in (or given up on). */
  interface Read extends AutoCloseable {
    @Override
    void close();
  }

  private record Counts(int all, int large) {
    Counts plus(boolean isLarge) {
      return new Counts(all + 1, large + (isLarge ? 1 : 0));
    }

    Counts minus(boolean isLarge) {
      return new Counts(all - 1, large - (isLarge ? 1 : 0));
    }
  }

  private final int perClient;
  private final int largePerClient;
  private final Semaphore all;
  private final Semaphore allLarge;
  private final Map<String, Counts> byClient = new ConcurrentHashMap<>();

  BodyReads(WebProperties settings) {
    this.perClient = settings.maxConcurrentBodyReadsPerClient();
    this.largePerClient = settings.maxConcurrentLargeBodyReadsPerClient();
    this.all = new Semaphore(settings.maxConcurrentBodyReads());
    this.allLarge = new Semaphore(settings.maxConcurrentLargeBodyReads());
  }

  /** A place for one more body from {@code client}, or why there is none; never waits. */
  Result start(String client, boolean large) {
    boolean[] taken = {false};
    byClient.compute(client, (key, counts) -> {
      Counts current = counts == null ? new Counts(0, 0) : counts;
      if (current.all() >= perClient || (large && current.large() >= largePerClient)) {
        return counts;
      }
      taken[0] = true;
      return current.plus(large);
    });
    if (!taken[0]) {
      return new Result(null, Refusal.CLIENT_BUSY);
    }
    if (!all.tryAcquire()) {
      release(client, large);
      return new Result(null, Refusal.SERVER_BUSY);
    }
    if (large && !allLarge.tryAcquire()) {
      all.release();
      release(client, large);
      return new Result(null, Refusal.SERVER_BUSY);
    }
    return new Result(() -> {
      if (large) {
        allLarge.release();
      }
      all.release();
      release(client, large);
    }, null);
  }

  /** Either a read to close, or the refusal. */
  record Result(Read read, Refusal refusal) {}

  private void release(String client, boolean large) {
    byClient.computeIfPresent(client, (key, counts) -> {
      Counts left = counts.minus(large);
      return left.all() == 0 ? null : left;
    });
  }
}
