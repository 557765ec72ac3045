package io.greenlight.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.apache.ibatis.exceptions.PersistenceException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures mean that the database could not be reached, however deeply they are wrapped. */
class DatabaseUnavailableTest {

  @Test
  void thePoolGivingUpInsideTheEngineIsTheDatabase() {
    SQLTransientConnectionException pool = new SQLTransientConnectionException(
        "HikariPool-1 - Connection is not available, request timed out after 3001ms");
    assertThat(DatabaseUnavailable.causedBy(new ProcessEngineException("ENGINE-03083",
        new PersistenceException(new ProcessEngineException(pool))))).isTrue();
    assertThat(DatabaseUnavailable.causedBy(new CannotCreateTransactionException("Could not open JDBC Connection", pool))).isTrue();
    assertThat(DatabaseUnavailable.causedBy(new CannotGetJdbcConnectionException("no connection"))).isTrue();
  }

  @Test
  void aLinkLostMidStatementIsTheDatabase() {
    // PostgreSQL's driver: "An I/O error occurred while sending to the backend." (08006), a socket timeout underneath.
    SQLException io = new SQLException("An I/O error occurred while sending to the backend.", "08006",
        new java.net.SocketTimeoutException("Read timed out"));
    assertThat(DatabaseUnavailable.causedBy(new ProcessEngineException(new PersistenceException(io)))).isTrue();
    // The rollback after it fails on the connection Hikari discarded, and the engine reports only that.
    assertThat(DatabaseUnavailable.causedBy(new ProcessEngineException("persistence layer",
        new org.springframework.transaction.TransactionSystemException("JDBC rollback failed",
            new SQLException("Connection is closed"))))).isTrue();
  }

  @Test
  void conflictsRefusalsAndOtherServicesAreNot() {
    assertThat(DatabaseUnavailable.causedBy(new OptimisticLockingException("ENGINE-03005 changed meanwhile"))).isFalse();
    assertThat(DatabaseUnavailable.causedBy(new DuplicateKeyException("duplicate key",
        new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
    assertThat(DatabaseUnavailable.causedBy(new IllegalStateException(new java.net.SocketTimeoutException("CircleCI")))).isFalse();
    assertThat(DatabaseUnavailable.causedBy(new ApiException(org.springframework.http.HttpStatus.CONFLICT, "x", null, "y"))).isFalse();
  }
}
