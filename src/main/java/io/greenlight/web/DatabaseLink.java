package io.greenlight.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Whether the database answers, known without waiting for it. A probe asks it every second (at most two seconds for an
 * answer, and it is lost when two asks running get none) on a connection of its own, outside the pool, so a pool busy with work is not taken for a lost database and a
 * lost database is noticed even when no request comes. From its last answer:
 * <ul>
 *   <li>the {@code db} health indicator (in the readiness group) is DOWN at once, without a request waiting for the
 *   database: a load balancer stops sending traffic to this node within seconds, while liveness stays UP;</li>
 *   <li>{@link DatabaseDownGate} answers 503 with {@code Retry-After} at once instead of letting requests queue for
 *   connections that cannot be made;</li>
 *   <li>one warning is logged when the database goes and one when it returns; meanwhile the job executor's, the pool's
 *   and the driver's repeated complaints about it are held back and counted;</li>
 *   <li>{@link Returned} is published when it answers again (the engine releases this node's job locks then).</li>
 * </ul>
 * Requests that fail on the database themselves call {@link #suspect} so the probe looks again at once.
 */
@Component("dbHealthIndicator")
public class DatabaseLink implements HealthIndicator, SmartLifecycle {

  /** The database stopped answering at {@code at} (the first probe that failed). */
  public record Lost(Instant at, String problem) {}

  /** The database answers again; it had been lost since {@code lostAt}. */
  public record Returned(Instant lostAt, Instant at) {}

  private static final Logger log = LoggerFactory.getLogger(DatabaseLink.class);
  /** Loggers whose every complaint during an outage is about the outage. */
  private static final String[] OUTAGE_LOGGERS = {"com.zaxxer.hikari", "org.postgresql", "org.camunda.bpm.engine.jobexecutor"};

  private final DataSource dataSource;
  private final ApplicationEventPublisher events;
  private final Duration interval;
  private final Duration probeTimeout;
  private final Duration retryAfter;
  private final AtomicBoolean checkPending = new AtomicBoolean();
  private final AtomicLong heldBack = new AtomicLong();
  private final AtomicLong lastFailureLogged = new AtomicLong();
  private final OutageLogFilter logFilter = new OutageLogFilter();
  private ScheduledExecutorService prober;
  private Connection probeConnection;

  private volatile boolean up = true;
  private volatile Instant since = Instant.now();
  private volatile String problem;

  public DatabaseLink(DataSource dataSource, ApplicationEventPublisher events,
                      @Value("${greenlight.database.link.probe-interval:1s}") Duration interval,
                      @Value("${greenlight.database.link.probe-timeout:2s}") Duration probeTimeout,
                      @Value("${greenlight.database.link.retry-after:10s}") Duration retryAfter) {
    this.dataSource = dataSource;
    this.events = events;
    this.interval = interval;
    this.probeTimeout = probeTimeout;
    this.retryAfter = retryAfter;
  }

  /** Whether the last probe got an answer. */
  public boolean isUp() {
    return up;
  }

  /** What a refused client is told to wait ({@code Retry-After}, in seconds). */
  public long retryAfterSeconds() {
    return Math.max(1, retryAfter.toSeconds());
  }

  /**
   * A request or a job just failed because the database could not be reached: the probe looks at once, and the failure
   * is logged as one line (at most one every ten seconds, none while the outage is already known), not a stack trace.
   */
  public void suspect(String what, Throwable failure) {
    if (up) {
      long now = System.nanoTime();
      long last = lastFailureLogged.get();
      if ((last == 0 || now - last > TimeUnit.SECONDS.toNanos(10)) && lastFailureLogged.compareAndSet(last, now)) {
        log.warn("{} failed: the database did not answer ({})", what, rootMessage(failure));
      } else {
        heldBack.incrementAndGet();
      }
    } else {
      heldBack.incrementAndGet();
    }
    ScheduledExecutorService running = prober;
    if (running != null && checkPending.compareAndSet(false, true)) {
      running.execute(this::probe);
    }
  }

  @Override
  public Health health() {
    Health.Builder health = up ? Health.up() : Health.down();
    health.withDetail("since", since.toString());
    if (!up && problem != null) {
      health.withDetail("problem", problem);
    }
    return health.build();
  }

  @Override
  public void start() {
    prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "database-link");
      thread.setDaemon(true);
      return thread;
    });
    prober.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    ILoggerFactory loggers = LoggerFactory.getILoggerFactory();
    if (loggers instanceof LoggerContext context) {
      context.addTurboFilter(logFilter);
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService running = prober;
    prober = null;
    if (running != null) {
      running.shutdownNow();
      try {
        running.awaitTermination(probeTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeProbeConnection();
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getTurboFilterList().remove(logFilter);
    }
  }

  @Override
  public boolean isRunning() {
    return prober != null;
  }

  /** Started after the data source, the engine and the web server are up; stopped before them. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 2000;
  }

  private synchronized void probe() {
    checkPending.set(false);
    String failure = probeOnce();
    if (failure != null && up) {
      // One slow answer (a pause of either side) is not an outage: the database is lost when it fails twice running.
      failure = probeOnce();
    }
    if (failure == null) {
      answered();
    } else {
      noAnswer(failure);
    }
  }

  private String probeOnce() {
    try {
      return ask();
    } catch (SQLException | RuntimeException e) {
      closeProbeConnection();
      return rootMessage(e);
    }
  }

  /** Null when the database answered within the probe's timeout; else why not. */
  private String ask() throws SQLException {
    int seconds = (int) Math.max(1, probeTimeout.toSeconds());
    if (ownConnectionPossible()) {
      if (probeConnection == null) {
        probeConnection = openProbeConnection(seconds);
      }
      if (!probeConnection.isValid(seconds)) {
        closeProbeConnection();
        return "no answer within " + seconds + " s";
      }
      return null;
    }
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(seconds) ? null : "no answer within " + seconds + " s";
    }
  }

  /**
   * A networked PostgreSQL gets a connection of the probe's own, with the driver's own time limits; an embedded
   * database (H2's file, in this process) cannot go away, and is asked through the pool.
   */
  private boolean ownConnectionPossible() {
    return dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
        && hikari.getJdbcUrl().startsWith("jdbc:postgresql:");
  }

  private Connection openProbeConnection(int seconds) throws SQLException {
    HikariDataSource hikari = (HikariDataSource) dataSource;
    Properties properties = new Properties();
    properties.putAll(hikari.getDataSourceProperties());
    if (hikari.getUsername() != null) {
      properties.setProperty("user", hikari.getUsername());
    }
    if (hikari.getPassword() != null) {
      properties.setProperty("password", hikari.getPassword());
    }
    properties.setProperty("loginTimeout", Integer.toString(seconds));
    properties.setProperty("connectTimeout", Integer.toString(seconds));
    properties.setProperty("socketTimeout", Integer.toString(seconds + 1));
    properties.setProperty("ApplicationName", "greenlight-database-link");
    String driverClass = hikari.getDriverClassName();
    if (driverClass == null) {
      return DriverManager.getConnection(hikari.getJdbcUrl(), properties);
    }
    try {
      Driver driver = (Driver) Class.forName(driverClass, true, DatabaseLink.class.getClassLoader())
          .getDeclaredConstructor().newInstance();
      Connection connection = driver.connect(hikari.getJdbcUrl(), properties);
      if (connection == null) {
        throw new SQLException(driverClass + " does not take " + hikari.getJdbcUrl());
      }
      return connection;
    } catch (ReflectiveOperationException e) {
      throw new SQLException("The driver " + driverClass + " could not be loaded", e);
    }
  }

  private void closeProbeConnection() {
    Connection connection = probeConnection;
    probeConnection = null;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException | RuntimeException ignored) {
        // a connection that lost its database may fail to close; it is gone either way
      }
    }
  }

  private void answered() {
    if (up) {
      return;
    }
    Instant lostAt = since;
    Instant now = Instant.now();
    if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
      // The pool's connections from before the outage may be dead (reset, or cut mid-answer), and Hikari hands out a
      // connection used within the last half second without checking it: none of them is handed out again, so the
      // first requests after the return do not fail on them.
      hikari.getHikariPoolMXBean().softEvictConnections();
    }
    up = true;
    since = now;
    problem = null;
    long held = heldBack.getAndSet(0);
    log.warn("The database answers again after {} s unreachable; {} log line(s) about it were held back meanwhile. "
        + "Ready for traffic again", Duration.between(lostAt, now).toSeconds(), held);
    events.publishEvent(new Returned(lostAt, now));
  }

  private void noAnswer(String failure) {
    if (!up) {
      problem = failure;
      return;
    }
    Instant now = Instant.now();
    up = false;
    since = now;
    problem = failure;
    log.warn("The database does not answer ({}): readiness is DOWN, requests are answered 503 with Retry-After: {}, and "
        + "repeated errors about it are held back until it answers again", failure, retryAfterSeconds());
    events.publishEvent(new Lost(now, failure));
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.length() > 200 ? message.substring(0, 200) + "…" : message;
  }

  /**
   * While the database is known to be unreachable, the complaints about it — the job executor's failed acquisitions and
   * jobs, the pool's and the driver's warnings, anything logged with an exception that says the database could not be
   * reached — are counted instead of written: the two transitions say it all.
   */
  private final class OutageLogFilter extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                              Object[] params, Throwable thrown) {
      if (up || level == null || !level.isGreaterOrEqual(Level.WARN) || logger.getName().equals(DatabaseLink.class.getName())) {
        return FilterReply.NEUTRAL;
      }
      Throwable failure = thrown != null ? thrown
          : params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
      if ((failure != null && DatabaseUnavailable.causedBy(failure)) || fromOutageLogger(logger.getName())) {
        heldBack.incrementAndGet();
        return FilterReply.DENY;
      }
      return FilterReply.NEUTRAL;
    }

    private boolean fromOutageLogger(String name) {
      for (String prefix : OUTAGE_LOGGERS) {
        if (name.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }
  }
}
