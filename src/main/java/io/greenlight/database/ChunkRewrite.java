package io.greenlight.database;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import org.h2.engine.Constants;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

/**
 * H2's own chunk rewrite, with a real target. {@link MVStore#compact(int, int)}, the public way in, asks H2 to rewrite
 * chunks up to 100% live, and H2 then takes the oldest chunks first whatever their fill: it rewrites old chunks that are
 * nearly all live, freeing almost nothing, again and again, while the mostly dead chunks stay. H2's background writer
 * (off with {@code WRITE_DELAY=0}) calls the same rewrite with a target; this does too, through the two methods H2 keeps
 * to itself ({@code FileStore.rewriteChunks(writeLimit, targetFillRate)} under {@code MVStore.tryExecuteUnderStoreLock}).
 * They are looked up once, at start: an H2 without them fails the start with its version named, not silently later.
 */
final class ChunkRewrite {

  enum Outcome { REWROTE, NOTHING_TO_REWRITE, STORE_BUSY }

  private final Method rewriteChunks;
  private final Method underStoreLock;

  private ChunkRewrite(Method rewriteChunks, Method underStoreLock) {
    this.rewriteChunks = rewriteChunks;
    this.underStoreLock = underStoreLock;
  }

  static ChunkRewrite ofThisH2() {
    try {
      Method rewriteChunks = FileStore.class.getDeclaredMethod("rewriteChunks", int.class, int.class);
      Method underStoreLock = MVStore.class.getDeclaredMethod("tryExecuteUnderStoreLock", Callable.class);
      rewriteChunks.setAccessible(true);
      underStoreLock.setAccessible(true);
      return new ChunkRewrite(rewriteChunks, underStoreLock);
    } catch (NoSuchMethodException | RuntimeException e) {
      throw new IllegalStateException("H2 " + Constants.FULL_VERSION + " does not have the chunk rewrite Greenlight's "
          + "database housekeeping uses (written for H2 2.3.232); see docs/reliability.md", e);
    }
  }

  /**
   * Rewrites up to {@code writeLimit} bytes of the live pages of chunks at most {@code belowFill}% live, when the store
   * is free within H2's 10 ms try; the rewritten pages are written by the next commit.
   */
  Outcome rewrite(MVStore store, int writeLimit, int belowFill) {
    Callable<Boolean> rewrite = () -> (Boolean) rewriteChunks.invoke(store.getFileStore(), writeLimit, belowFill);
    try {
      Object rewrote = underStoreLock.invoke(store, rewrite);
      return rewrote == null ? Outcome.STORE_BUSY : (Boolean) rewrote ? Outcome.REWROTE : Outcome.NOTHING_TO_REWRITE;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() instanceof InvocationTargetException inner ? inner.getCause() : e.getCause();
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return Outcome.STORE_BUSY;
      }
      throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
  }
}
