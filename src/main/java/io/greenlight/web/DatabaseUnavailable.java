package io.greenlight.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means that the database could not be reached (the link is down, the pool gave up waiting for a
 * connection, a statement's socket timed out), as opposed to a failure of what was asked. Found anywhere in the cause
 * chain: Camunda wraps the driver's exception in a {@code ProcessEngineException} (often twice), Spring in a
 * {@code CannotCreateTransactionException} or a {@code DataAccessResourceFailureException}.
 */
public final class DatabaseUnavailable {

  private DatabaseUnavailable() {}

  /** True when {@code failure} or any of its causes says the database could not be reached. */
  public static boolean causedBy(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
      if (isUnreachable(cause)) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getNextException() != null && isUnreachable(sql.getNextException())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnreachable(Throwable cause) {
    if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
        || cause instanceof DataAccessResourceFailureException || cause instanceof TransientDataAccessResourceException) {
      return true;
    }
    if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
        || cause instanceof SQLRecoverableException) {
      return true;
    }
    if (cause instanceof SQLException sql && "Connection is closed".equals(sql.getMessage())) {
      // Hikari's words for a connection it discarded after the link failed under it (a rollback then fails with them,
      // and the original failure is lost).
      return true;
    }
    if (cause instanceof SQLException sql) {
      // SQLState class 08: connection exception (PostgreSQL's driver says 08001, 08003, 08006 for a lost link);
      // 57P01..57P03: the server is shutting down or not accepting connections yet.
      String state = sql.getSQLState();
      return state != null && (state.startsWith("08") || state.startsWith("57P0"));
    }
    // A socket error on its own may be CircleCI's or Twilio's: only the driver's wrapping (above) says it was the database's.
    return false;
  }
}
