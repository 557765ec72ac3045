package io.greenlight.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file under a churn like the engine's (with {@code WRITE_DELAY=0}, every commit a chunk of its own):
 * rows that come and go, and long-lived rows (the history) added all the time. Without maintenance the file grows
 * far beyond its live data; with it, it stays within three times what {@code SHUTDOWN COMPACT} leaves. The rounds run
 * in the test's own thread, every few commits, so the outcome does not depend on how fast the machine is.
 */
class H2FileMaintenanceTest {

  private static final String SETTINGS = ";WRITE_DELAY=0;RETENTION_TIME=0;COMPRESS=TRUE";
  private static final int TRANSACTIONS = 4_000;
  /** The defaults, but for files of any size: this one stays small. */
  private static final DatabaseProperties EVERY_SIZE = new DatabaseProperties(null, null, null, 0, null, null, null,
      org.springframework.util.unit.DataSize.ofBytes(0), java.time.Duration.ZERO, 0, null, null, 0, 0);

  @TempDir
  Path directory;

  @Test
  void theFileStaysWithinThreeTimesItsLiveDataUnderChurn() throws Exception {
    Path file = churn("maintained", true);

    long live = liveBytes(file);
    assertThat(Files.size(file)).as("file %d bytes, live %d bytes", Files.size(file), live).isLessThanOrEqualTo(3 * live);
  }

  /**
   * Commits queue for the store whenever the rewrite looks, as on a node at saturation: the rewrite, which lets waiting
   * commits go first, still keeps the bound once it is at stake (the bench's intake bursts grew the file to four times
   * its live data while it yielded).
   */
  @Test
  void theFileStaysWithinThreeTimesItsLiveDataWhileCommitsQueueAllTheTime() throws Exception {
    Path file = churn("saturated", true, true);

    long live = liveBytes(file);
    assertThat(Files.size(file)).as("file %d bytes, live %d bytes", Files.size(file), live).isLessThanOrEqualTo(3 * live);
  }

  @Test
  void withoutItTheSameChurnGrowsTheFileFarBeyondItsLiveData() throws Exception {
    Path file = churn("unmaintained", false);

    long live = liveBytes(file);
    assertThat(Files.size(file)).as("file %d bytes, live %d bytes", Files.size(file), live).isGreaterThan(5 * live);
  }

  @Test
  void itsFiguresAreMetrics() throws Exception {
    JdbcDataSource dataSource = dataSource("metrics");
    try (Connection keepOpen = dataSource.getConnection()) {
      H2FileMaintenance maintenance = new H2FileMaintenance(dataSource, EVERY_SIZE,
          Clock.systemUTC());
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      maintenance.bindTo(registry);
      maintenance.start();
      try {
        maintenance.maintain();
        assertThat(registry.get(H2FileMaintenance.FILE_SIZE).gauge().value()).isPositive();
        assertThat(registry.get(H2FileMaintenance.LIVE_SIZE).gauge().value()).isPositive();
        assertThat(registry.get(H2FileMaintenance.LAST_MAINTENANCE).gauge().value()).isPositive();
        assertThat(roundsTimed(registry)).as("the thread's rounds are timed (its first starts at once)").isPositive();
        assertThat(registry.get(H2FileMaintenance.REWRITES).counters()).extracting(counter -> counter.getId().getTag("outcome"))
            .containsExactlyInAnyOrder("rewrote", "nothing-to-rewrite", "store-busy");
      } finally {
        maintenance.stop();
      }
    }
  }

  /** The rounds the maintenance thread has timed, once it has finished one (it starts the first at once). */
  private static long roundsTimed(SimpleMeterRegistry registry) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (registry.get(H2FileMaintenance.MAINTENANCE_TIME).timer().count() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return registry.get(H2FileMaintenance.MAINTENANCE_TIME).timer().count();
  }

  /** The churn; the database file it leaves (the database closed without compacting). */
  private Path churn(String name, boolean maintained) throws Exception {
    return churn(name, maintained, false);
  }

  /** {@code saturated}: commits wait for the store whenever the rewrite looks (a node that is never quiet). */
  private Path churn(String name, boolean maintained, boolean saturated) throws Exception {
    JdbcDataSource dataSource = dataSource(name);
    Random random = new Random(20261129);
    try (Connection connection = dataSource.getConnection()) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("create table runtime (id bigint primary key, payload varchar(8000))");
        ddl.execute("create table history (id bigint primary key, request bigint, payload varchar(8000))");
        ddl.execute("create index history_request on history (request)");
      }

      H2FileMaintenance maintenance = new H2FileMaintenance(dataSource, EVERY_SIZE,
          Clock.systemUTC(), saturated ? store -> true : null);
      maintenance.start();
      maintenance.stop(); // the rounds run here, not on its thread
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("insert into runtime values (?, ?)");
           PreparedStatement delete = connection.prepareStatement("delete from runtime where id = ?");
           PreparedStatement record = connection.prepareStatement("insert into history values (?, ?, ?)")) {
        for (long tx = 1; tx <= TRANSACTIONS; tx++) {
          insert.setLong(1, tx);
          insert.setString(2, text(random, 2_000));
          insert.executeUpdate();
          if (tx > 5) {
            delete.setLong(1, tx - 5);
            delete.executeUpdate();
          }
          record.setLong(1, tx);
          record.setLong(2, tx / 10);
          record.setString(3, text(random, 300));
          record.executeUpdate();
          connection.commit();
          if (maintained && tx % 10 == 0) {
            maintenance.maintain();
          }
        }
      }
      if (maintained) {
        for (int round = 0; round < 20; round++) {
          maintenance.maintain();
        }
      }

      connection.setAutoCommit(true);
      try (Statement shutdown = connection.createStatement()) {
        shutdown.execute("SHUTDOWN IMMEDIATELY");
      } catch (SQLException closedUnderUs) {
        // the connection goes with the database
      }
    }
    return directory.resolve(name + ".mv.db");
  }

  /** What {@code SHUTDOWN COMPACT} leaves of a copy of {@code file}. */
  private long liveBytes(Path file) throws Exception {
    Path copy = directory.resolve("copy-" + file.getFileName());
    Files.copy(file, copy);
    String name = copy.getFileName().toString().replace(".mv.db", "");
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:file:" + directory.resolve(name).toAbsolutePath());
    dataSource.setUser("sa");
    try (Connection connection = dataSource.getConnection(); Statement shutdown = connection.createStatement()) {
      shutdown.execute("SHUTDOWN COMPACT");
    }
    return Files.size(copy);
  }

  private JdbcDataSource dataSource(String name) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:file:" + directory.resolve(name).toAbsolutePath() + SETTINGS);
    dataSource.setUser("sa");
    return dataSource;
  }

  private static String text(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }
}
