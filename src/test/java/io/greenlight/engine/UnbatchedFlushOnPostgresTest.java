package io.greenlight.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PostgreSQL, however it is named, is written to one statement at a time; every other database keeps JDBC batches. */
class UnbatchedFlushOnPostgresTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      postgres | jdbc:postgresql://localhost:5432/greenlight               | false
      null     | jdbc:postgresql://db.internal:5432/greenlight?ssl=true    | false
      null     | JDBC:PostgreSQL://db.internal/greenlight                  | false
      postgres | null                                                      | false
      h2       | jdbc:h2:file:./data/greenlight;AUTO_SERVER=FALSE          | true
      null     | jdbc:h2:mem:greenlight;DB_CLOSE_DELAY=-1                  | true
      null     | null                                                      | true
      """)
  void batchesAreOffOnlyOnPostgres(String databaseType, String url, boolean batched) {
    StandaloneInMemProcessEngineConfiguration configuration = new StandaloneInMemProcessEngineConfiguration();
    configuration.setDatabaseType(databaseType);
    configuration.setJdbcBatchProcessing(true);

    new UnbatchedFlushOnPostgres(url).preInit(configuration);

    assertThat(configuration.isJdbcBatchProcessing()).isEqualTo(batched);
  }
}
