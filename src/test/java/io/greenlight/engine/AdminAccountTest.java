package io.greenlight.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin account follows greenlight.admin.password, whatever the stored account went through meanwhile. */
class AdminAccountTest {

  private final ProcessEngine engine = ProcessEngineConfiguration.createStandaloneInMemProcessEngineConfiguration()
      .setProcessEngineName("admin-account-test").setJdbcUrl("jdbc:h2:mem:admin-account-test;DB_CLOSE_DELAY=-1")
      .setJobExecutorActivate(false).buildProcessEngine();
  private final IdentityService identity = engine.getIdentityService();
  private final AdminAccount admin = new AdminAccount(identity, engine.getAuthorizationService());

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aChangedPasswordIsTakenEvenWhenWrongLoginsLockedTheAccount() {
    admin.ensure("first-password");
    for (int attempt = 0; attempt < 3; attempt++) {
      assertThat(identity.checkPassword(AdminAccount.ADMIN_ID, "guessed")).isFalse();
    }

    admin.ensure("second-password");

    assertThat(identity.checkPassword(AdminAccount.ADMIN_ID, "second-password")).isTrue();
    assertThat(identity.checkPassword(AdminAccount.ADMIN_ID, "first-password")).isFalse();
  }

  @Test
  void theSamePasswordAgainChangesNothing() {
    admin.ensure("first-password");
    admin.ensure("first-password");

    assertThat(identity.checkPassword(AdminAccount.ADMIN_ID, "first-password")).isTrue();
  }
}
