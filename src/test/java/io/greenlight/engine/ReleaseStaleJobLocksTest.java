package io.greenlight.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Locks are released at start-up only where no other process can hold them. */
class ReleaseStaleJobLocksTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      jdbc:h2:file:./data/greenlight;AUTO_SERVER=FALSE;WRITE_DELAY=0 | true
      jdbc:h2:./data/greenlight                                        | true
      jdbc:h2:file:/var/lib/greenlight/db;FILE_LOCK=FILE               | true
      jdbc:h2:file:./data/greenlight;AUTO_SERVER=TRUE                  | false
      jdbc:h2:file:./data/greenlight;auto_server=true                  | false
      jdbc:h2:file:./data/greenlight;FILE_LOCK=NO                      | false
      jdbc:h2:tcp://db.internal/greenlight                             | false
      jdbc:h2:mem:greenlight;DB_CLOSE_DELAY=-1                         | false
      jdbc:postgresql://localhost:5432/greenlight                      | false
      null                                                             | false
      """)
  void onlyAnEmbeddedH2FileWithItsOwnLockIsThisProcesssAlone(String url, boolean alone) {
    assertThat(ReleaseStaleJobLocks.onlyThisProcessCanOpen(url)).isEqualTo(alone);
  }
}
