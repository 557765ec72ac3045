package io.greenlight.database;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the embedded H2 file as small as its live data while it runs.
 *
 * <p>With {@code WRITE_DELAY=0} (a killed process loses nothing it confirmed) every commit is a small chunk of its own,
 * and H2's background writer, which would rewrite half-empty chunks and move them to the front, is off. Long-lived rows
 * (the history) keep a few pages alive in every chunk, so nothing is ever freed and the file only grows. This is that
 * housekeeping, on a thread of its own: rewrite chunks that are mostly dead ({@link ChunkRewrite}, a little at a time
 * within a small time budget, since commits wait while it holds the store), let the freed ones go at once
 * ({@code RETENTION_TIME=0} in the URL), and move the chunks at the end of the file into the holes so that the file
 * shrinks. It can also force the file to disk on a schedule ({@code sync-every}, off by default), which narrows what an
 * OS crash or power loss can take (H2 does not sync each commit). {@code MVStore.compact}, as earlier attempts used it,
 * never moves a chunk (freed space was reused, but the file kept its high-water mark), and it rewrites the oldest chunks
 * whether or not they are mostly dead, so it kept the store busy and the chunks half live.
 */
public class H2FileMaintenance implements SmartLifecycle, MeterBinder {

  public static final String FILE_SIZE = "greenlight.database.file.size";
  public static final String LIVE_SIZE = "greenlight.database.live.size";
  public static final String LAST_MAINTENANCE = "greenlight.database.maintenance.last";
  /** The two shares the live size is made of: how much of the file chunks use, and how much of the chunks is live. */
  public static final String FILE_FILL = "greenlight.database.file.fill";
  public static final String CHUNKS_FILL = "greenlight.database.chunks.fill";
  /**
   * Calls of the chunk rewrite, by outcome (rewrote, nothing-to-rewrite, store-busy), the time the rounds took, and how
   * long each call held the store.
   */
  public static final String REWRITES = "greenlight.database.rewrites";
  public static final String MAINTENANCE_TIME = "greenlight.database.maintenance.time";
  public static final String REWRITE_HELD = "greenlight.database.rewrite.held";

  private static final Logger log = LoggerFactory.getLogger(H2FileMaintenance.class);

  /** Chunks are rewritten while the live share of the chunks is below this (per cent)... */
  static final int TARGET_CHUNK_FILL = 90;


  private final DataSource dataSource;
  private final DatabaseProperties settings;
  private final Clock clock;
  private final ChunkRewrite chunkRewrite = ChunkRewrite.ofThisH2();
  /** Whether commits wait for the store now (H2's store lock has a queue); a test stands in for a saturated node. */
  private final Predicate<MVStore> commitsWaiting;
  private volatile MVStore store;
  private ScheduledExecutorService thread;
  private volatile Instant lastMaintenance;
  private volatile Instant lastMove = Instant.EPOCH;
  private long lastVersion = -1;
  private Instant lastVersionChange = Instant.EPOCH;
  private volatile Instant lastSync = Instant.EPOCH;
  private volatile Instant behindSince;
  private volatile Instant warnedAt = Instant.EPOCH;
  /** No rewriting before this ({@link System#nanoTime()}): a round whose calls overran its budget rests for twice as long. */
  private long restUntil = System.nanoTime();
  private final Map<ChunkRewrite.Outcome, Counter> rewrites = new EnumMap<>(ChunkRewrite.Outcome.class);
  private Timer maintenanceTime;
  private Timer rewriteHeld;

  public H2FileMaintenance(DataSource dataSource, DatabaseProperties settings, Clock clock) {
    this(dataSource, settings, clock, null);
  }

  H2FileMaintenance(DataSource dataSource, DatabaseProperties settings, Clock clock, Predicate<MVStore> commitsWaiting) {
    this.dataSource = dataSource;
    this.settings = settings;
    this.clock = clock;
    this.commitsWaiting = commitsWaiting != null ? commitsWaiting : chunkRewrite::commitsWaiting;
  }

  @Override
  public void start() {
    store = storeOf(dataSource);
    FileStore<?> file = store.getFileStore();
    log.info("Database file {}: {} MiB, about {} MiB live; kept compact every {} ms", file.getFileName(),
        file.size() >> 20, liveBytes() >> 20, settings.maintenanceInterval().toMillis());
    thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread maintenance = new Thread(runnable, "h2-file-maintenance");
      maintenance.setDaemon(true);
      return maintenance;
    });
    thread.scheduleWithFixedDelay(this::maintainQuietly, 0, settings.maintenanceInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Before the data source closes: a call under way finishes, none starts; H2 compacts once more as it closes. */
  @Override
  public void stop() {
    if (thread != null) {
      thread.shutdown();
      try {
        thread.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      thread = null;
    }
  }

  @Override
  public boolean isRunning() {
    return thread != null;
  }

  /** Started after everything else (the engine, the web server); stopped before them. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(FILE_SIZE, this, maintenance -> maintenance.store == null ? Double.NaN : maintenance.store.getFileStore().size())
        .baseUnit("bytes").description("Size of the embedded H2 database file").register(registry);
    Gauge.builder(LIVE_SIZE, this, maintenance -> maintenance.store == null ? Double.NaN : maintenance.liveBytes())
        .baseUnit("bytes").description("Live data in the embedded H2 database file (an estimate from its fill rates)")
        .register(registry);
    Gauge.builder(FILE_FILL, this, maintenance -> maintenance.store == null ? Double.NaN : maintenance.store.getFillRate())
        .baseUnit("percent").description("Share of the embedded H2 database file that chunks use (the rest is free space)")
        .register(registry);
    Gauge.builder(CHUNKS_FILL, this,
            maintenance -> maintenance.store == null ? Double.NaN : maintenance.store.getFileStore().getChunksFillRate())
        .baseUnit("percent").description("Live share of the chunks of the embedded H2 database file").register(registry);
    for (ChunkRewrite.Outcome outcome : ChunkRewrite.Outcome.values()) {
      rewrites.put(outcome, Counter.builder(REWRITES).tag("outcome", outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .description("Calls of the embedded H2 file's chunk rewrite, by outcome").register(registry));
    }
    maintenanceTime = Timer.builder(MAINTENANCE_TIME).description("Rounds of the embedded H2 file's housekeeping")
        .register(registry);
    rewriteHeld = Timer.builder(REWRITE_HELD).description("How long each call of the chunk rewrite held the embedded H2 "
        + "store (commits wait meanwhile)").register(registry);
    Gauge.builder(LAST_MAINTENANCE, this,
            maintenance -> maintenance.lastMaintenance == null ? Double.NaN : maintenance.lastMaintenance.getEpochSecond())
        .baseUnit("seconds").description("When the embedded H2 database file was last kept compact (Unix time)")
        .register(registry);
  }

  private void maintainQuietly() {
    long started = System.nanoTime();
    try {
      maintain();
    } catch (RuntimeException | Error failure) {
      // A failure here must not stop the thread: the next round tries again, and the log says why.
      log.warn("Database file maintenance failed; trying again shortly", failure);
    } finally {
      if (maintenanceTime != null) {
        maintenanceTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * One round. Once the file holds more than {@code rewrite-above} times its live data (twice), chunks are rewritten while
   * they are less than {@value #TARGET_CHUNK_FILL}% live. Up to 2.5 times its live data the rewrite yields: a call never
   * starts while commits wait for the store (they go first, within the round), and a round whose calls held the store
   * longer than its budget is followed by a rest twice as long. Beyond that the file bound (three times) is at stake,
   * and it is kept whatever the load: rounds twice as long, taking their turns with the commits, without rest (on a
   * node that is never quiet, yielding let a burst grow the file to four times its live data, and it stayed so). Chunks are
   * moved (the file shrinks) while it is less full than {@code move-below-fill} and nothing was committed for {@code move-when-idle-for}: commits wait while chunks move, and an answer being carried out
   * should not wait for that; after a burst the file shrinks in the next quiet moment. A node that is never quiet moves a
   * little every {@code busy-move-every} once the file is less full than {@code busy-move-below-fill}. Says so when the
   * file stays much larger than its live data.
   */
  void maintain() {
    MVStore current = store;
    if (current == null || current.isClosed()) {
      return;
    }
    Instant now = clock.instant();
    long version = current.getCurrentVersion();
    if (version != lastVersion) {
      lastVersion = version;
      lastVersionChange = now;
    }
    FileStore<?> file = current.getFileStore();
    long size = file.size();
    if (size > settings.maintainAbove().toBytes()) {
      // The work of a round follows what there is to do: it keeps rewriting while the chunks are less full than the
      // target, so a file that grows (more chunks to rewrite) gets more work, a compact one none. A file far larger than
      // its live data (a busy node whose commits keep taking the store first) gets a longer round.
      long live = liveBytes();
      boolean boundAtStake = size > 5 * live / 2;
      long budget = boundAtStake ? 2 * settings.maintenanceBudget().toNanos() : settings.maintenanceBudget().toNanos();
      // Below rewrite-above the rewrite leaves the store to the commits: every call holds it while answers wait to
      // commit, and the file bound (three times its live data) is not at stake.
      long deadline = size > settings.rewriteAbove() * live && (boundAtStake || System.nanoTime() - restUntil >= 0)
          ? System.nanoTime() + budget : System.nanoTime();
      long held = 0;
      // Each call waits its turn for the store (commits queue for it too), rewrites a little, and lets the commits that
      // queued meanwhile go first: while the chunks are less full than the target and some are mostly dead, until the
      // round's budget is spent.
      while (System.nanoTime() < deadline && file.getChunksFillRate() < TARGET_CHUNK_FILL) {
        if (!boundAtStake && commitsWaiting.test(current)) {
          LockSupport.parkNanos(1_000_000);
          continue;
        }
        ChunkRewrite.Result result = chunkRewrite.rewrite(current, (int) settings.rewritePerCall().toBytes(),
            settings.rewriteBelowFill(), Math.max(0, deadline - System.nanoTime()));
        ChunkRewrite.Outcome outcome = result.outcome();
        held += result.heldNanos();
        if (rewriteHeld != null) {
          rewrites.get(outcome).increment();
          if (outcome != ChunkRewrite.Outcome.STORE_BUSY) {
            rewriteHeld.record(result.heldNanos(), TimeUnit.NANOSECONDS);
          }
        }
        if (outcome == ChunkRewrite.Outcome.NOTHING_TO_REWRITE) {
          break;
        }
        if (outcome == ChunkRewrite.Outcome.REWROTE) {
          // Written at once, a call's worth to a chunk: a chunk holding more live data than one call may rewrite is
          // never chosen again, so the rewritten pages of a whole round in one chunk would stay there for good, however
          // dead they become. (Otherwise whichever transaction commits next writes them, or nobody on a quiet node.)
          current.commit();
        }
        // The store's lock lets its holder take it again at once: a pause, so that a commit waiting for it goes first.
        LockSupport.parkNanos(1_000_000);
      }
      if (held > budget) {
        // A call cannot be cut short, and on a large file one may hold the store several times the budget (hundreds of
        // milliseconds): the next rounds rest for twice that, so the store stays free for commits at least two thirds
        // of the time, whatever the file's size.
        restUntil = System.nanoTime() + 2 * held;
      }
      boolean idle = Duration.between(lastVersionChange, now).compareTo(settings.moveWhenIdleFor()) >= 0;
      int fill = current.getFillRate();
      if (file instanceof RandomAccessStore movable) {
        if (idle && fill < settings.moveBelowFill() && Duration.between(lastMove, now).compareTo(settings.moveEvery()) >= 0) {
          movable.compactMoveChunks(settings.moveBelowFill(), settings.movePerTime().toBytes(), current);
          lastMove = now;
        } else if (!idle && fill < settings.busyMoveBelowFill()
            && Duration.between(lastMove, now).compareTo(settings.busyMoveEvery()) >= 0) {
          // Never quiet, and the holes are not filled fast enough: a little at a time, so commits wait only briefly.
          movable.compactMoveChunks(settings.moveBelowFill(), settings.busyMovePerTime().toBytes(), current);
          lastMove = now;
        }
      }
    }
    if (!settings.syncEvery().isZero() && Duration.between(lastSync, now).compareTo(settings.syncEvery()) >= 0) {
      current.sync();
      lastSync = now;
    }
    lastMaintenance = now;
    watchForFallingBehind(file.size(), now);
  }

  /** Live bytes: the file's used share times the chunks' live share. */
  long liveBytes() {
    MVStore current = store;
    FileStore<?> file = current.getFileStore();
    return (long) (file.size() * (current.getFillRate() / 100.0) * (file.getChunksFillRate() / 100.0));
  }

  /** More than three times its live data for ten minutes: the log says so, every ten minutes while it lasts. */
  private void watchForFallingBehind(long fileBytes, Instant now) {
    boolean behind = fileBytes > settings.maintainAbove().toBytes() && fileBytes > 3 * liveBytes();
    if (!behind) {
      behindSince = null;
      return;
    }
    if (behindSince == null) {
      behindSince = now;
    } else if (Duration.between(behindSince, now).toMinutes() >= 10 && Duration.between(warnedAt, now).toMinutes() >= 10) {
      warnedAt = now;
      log.warn("The database file ({} MiB) has held more than three times its live data (about {} MiB) for {} minutes: "
              + "its maintenance is falling behind (a long transaction or statement keeps old data pinned?). "
              + "It shrinks again on a clean restart; see docs/reliability.md.",
          fileBytes >> 20, liveBytes() >> 20, Duration.between(behindSince, now).toMinutes());
    }
  }

  static MVStore storeOf(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
      return session.getDatabase().getStore().getMvStore();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot reach the H2 database file to keep it compact", e);
    }
  }
}
