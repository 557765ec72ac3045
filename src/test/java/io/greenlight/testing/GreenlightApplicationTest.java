package io.greenlight.testing;

import java.util.List;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on a random port, on its own in-memory database and engine, with a fake CircleCI.
 * The job executor is off: tests run due jobs themselves, so every step happens when the test says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "camunda.bpm.job-execution.enabled=false",
    "camunda.bpm.process-engine-name=greenlight-application-test",
    "spring.datasource.url=jdbc:h2:mem:greenlight-application-test;DB_CLOSE_DELAY=-1",
    "spring.datasource.name=greenlight-application-test",
    "greenlight.directory-file=src/test/resources/test-directory.yaml",
    "greenlight.admin.password=test-admin-password",
    "greenlight.circleci.token=" + FakeCircleCi.TOKEN,
    // Tests try wrong passwords; in production each failure locks the user out for a growing delay.
    "camunda.bpm.generic-properties.properties.loginDelayBase=0",
})
public abstract class GreenlightApplicationTest {

  protected static final String ACME_KEY = "acme-key-0123456789abcdef";
  protected static final String OTHER_KEY = "other-key-0123456789abcdef";
  protected static final FakeCircleCi circleCi = new FakeCircleCi();

  @DynamicPropertySource
  static void circleCiUrl(DynamicPropertyRegistry registry) {
    registry.add("greenlight.circleci.base-url", circleCi::baseUrl);
  }

  @LocalServerPort
  protected int port;

  @Autowired
  protected ManagementService management;

  protected GreenlightTestClient client;

  @BeforeEach
  void connect() {
    client = new GreenlightTestClient(port);
    circleCi.reset();
  }

  /** Runs due jobs until none is left, as the job executor would. */
  protected void runDueJobs() {
    for (int round = 0; round < 20; round++) {
      List<Job> due = management.createJobQuery().executable().list();
      if (due.isEmpty()) {
        return;
      }
      due.forEach(job -> management.executeJob(job.getId()));
    }
    throw new AssertionError("Jobs are still due after 20 rounds");
  }
}
