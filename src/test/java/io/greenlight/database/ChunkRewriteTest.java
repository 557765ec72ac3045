package io.greenlight.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.engine.Constants;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ChunkRewrite} relies on in H2, which H2 keeps to itself: a rewrite with a fill target, and the store lock
 * that commits queue for. H2 offers no public way to rewrite only the mostly dead chunks ({@code MVStore.compact} takes
 * the oldest whatever their fill), so the H2 version is pinned in the pom and here; an upgrade fails this test first,
 * saying what to check, instead of the housekeeping quietly doing something else. What the rewrite achieves (a file that
 * stays within three times its live data, where it would grow without it) is {@link H2FileMaintenanceTest}'s.
 */
class ChunkRewriteTest {

  /** The H2 {@link ChunkRewrite} was written against and checked with. */
  private static final String WRITTEN_FOR = "2.3.232";

  @TempDir
  Path directory;

  @Test
  void h2IsTheVersionTheRewriteWasWrittenFor() {
    assertThat(Constants.FULL_VERSION)
        .as("H2 was upgraded: ChunkRewrite calls H2's FileStore.rewriteChunks(int writeLimit, int targetFillRate) and takes "
            + "MVStore.storeLock itself. Read them in the new H2's source (what a call rewrites, that commits take that lock), "
            + "run this class and the benchmark's soak (docs/benchmarks.md), then move WRITTEN_FOR and the pom's h2 version")
        .startsWith(WRITTEN_FOR);
  }

  @Test
  void aCommitWaitsWhileItHoldsTheStoreAndItWaitsForACommit() throws Exception {
    try (MVStore store = new MVStore.Builder().fileName(directory.resolve("lock.mv").toString()).autoCommitDisabled().open()) {
      MVMap<Integer, String> map = store.openMap("data");
      map.put(1, "one");
      store.commit();
      map.put(2, "two");
      ReentrantLock storeLock = storeLock(store);
      storeLock.lock();
      try {
        CompletableFuture<Long> commit = CompletableFuture.supplyAsync(store::commit);
        CompletableFuture<ChunkRewrite.Result> rewrite = CompletableFuture.supplyAsync(
            () -> ChunkRewrite.ofThisH2().rewrite(store, 1 << 20, 50, TimeUnit.MILLISECONDS.toNanos(50)));
        Thread.sleep(200);
        assertThat(commit).as("a commit while the store is held").isNotDone();
        assertThat(rewrite.get(5, TimeUnit.SECONDS).outcome())
            .as("the rewrite, while the store is held by someone else (it waits its turn, then gives up)")
            .isEqualTo(ChunkRewrite.Outcome.STORE_BUSY);
        storeLock.unlock();
        commit.get(5, TimeUnit.SECONDS);
      } finally {
        if (storeLock.isHeldByCurrentThread()) {
          storeLock.unlock();
        }
      }
    }
  }

  private static ReentrantLock storeLock(MVStore store) throws ReflectiveOperationException {
    java.lang.reflect.Field field = MVStore.class.getDeclaredField("storeLock");
    field.setAccessible(true);
    return (ReentrantLock) field.get(store);
  }
}
