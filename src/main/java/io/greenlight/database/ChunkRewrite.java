package io.greenlight.database;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.h2.engine.Constants;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * H2's own chunk rewrite, with a real target. {@link MVStore#compact(int, int)}, the public way in, asks H2 to rewrite
 * chunks up to 100% live, and H2 then takes the oldest chunks first whatever their fill: it rewrites old chunks that are
 * nearly all live, freeing almost nothing, again and again, while the mostly dead chunks stay. H2's background writer
 * (off with {@code WRITE_DELAY=0}) calls the same rewrite with a target; this does too: {@code
 * FileStore.rewriteChunks(writeLimit, targetFillRate)} under the store's lock, both of which H2 keeps to itself.
 * H2's own way to take that lock ({@code tryExecuteUnderStoreLock}) gives up after 10 ms, and under steady load it
 * mostly did (commits queue for the lock one after the other): this waits its turn in that queue for as long as it is
 * given. Both are looked up once, at start: an H2 without them fails the start with its version named, not silently
 * later. H2 has no public way to do this, so the pom pins H2 and {@code ChunkRewriteTest} fails first on an upgrade,
 * saying what to check in the new version.
 */
final class ChunkRewrite {

  enum Outcome { REWROTE, NOTHING_TO_REWRITE, STORE_BUSY }

  /** What a call did, and how long it held the store (commits wait that long). */
  record Result(Outcome outcome, long heldNanos) {}

  private final Method rewriteChunks;
  private final Field storeLock;

  private ChunkRewrite(Method rewriteChunks, Field storeLock) {
    this.rewriteChunks = rewriteChunks;
    this.storeLock = storeLock;
  }

  static ChunkRewrite ofThisH2() {
    try {
      Method rewriteChunks = FileStore.class.getDeclaredMethod("rewriteChunks", int.class, int.class);
      Field storeLock = MVStore.class.getDeclaredField("storeLock");
      if (storeLock.getType() != ReentrantLock.class) {
        throw new NoSuchFieldException("storeLock is a " + storeLock.getType());
      }
      rewriteChunks.setAccessible(true);
      storeLock.setAccessible(true);
      return new ChunkRewrite(rewriteChunks, storeLock);
    } catch (NoSuchMethodException | NoSuchFieldException | RuntimeException e) {
      throw new IllegalStateException("H2 " + Constants.FULL_VERSION + " does not have the chunk rewrite Greenlight's "
          + "database housekeeping uses (written for H2 2.3.232); see docs/reliability.md", e);
    }
  }

  /** Whether commits (or anyone else) wait for the store now: a call started now would make them wait longer. */
  boolean commitsWaiting(MVStore store) {
    try {
      return ((ReentrantLock) storeLock.get(store)).hasQueuedThreads();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Rewrites up to {@code writeLimit} bytes of the live pages of chunks at most {@code belowFill}% live, once the store
   * is free, waiting for it at most {@code waitNanos}; the rewritten pages are written by the next commit.
   */
  Result rewrite(MVStore store, int writeLimit, int belowFill, long waitNanos) {
    try {
      ReentrantLock lock = (ReentrantLock) storeLock.get(store);
      if (!lock.tryLock(waitNanos, TimeUnit.NANOSECONDS)) {
        return new Result(Outcome.STORE_BUSY, 0);
      }
      long held = System.nanoTime();
      try {
        boolean rewrote = (Boolean) rewriteChunks.invoke(store.getFileStore(), writeLimit, belowFill);
        return new Result(rewrote ? Outcome.REWROTE : Outcome.NOTHING_TO_REWRITE, System.nanoTime() - held);
      } finally {
        lock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(Outcome.STORE_BUSY, 0);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    }
  }
}
