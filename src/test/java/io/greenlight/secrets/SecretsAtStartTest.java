package io.greenlight.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.greenlight.GreenlightApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code greenlight.secrets.key} at start-up: approvers' CircleCI tokens are stored sealed; a start with stored tokens
 * and no key, or another key, is refused with a message that says what to do; a directory with tokens and no key
 * is refused too.
 */
class SecretsAtStartTest {

  private static final String KEY = SecretBoxTest.randomKey();
  private final String database = "jdbc:h2:mem:secrets-at-start-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Test
  void storedTokensNeedTheirKeyToStart() throws Exception {
    Path directory = directoryWithAliceToken();
    try (ConfigurableApplicationContext first = start(directory, KEY)) {
      List<String> stored = first.getBean(JdbcTemplate.class).queryForList("select sealed_token from greenlight_circleci_token", String.class);
      assertThat(stored).singleElement().asString().startsWith("v1:").doesNotContain("alice-own-circle-token");
    }

    assertThatThrownBy(() -> start(directory, null)).satisfies(failure -> assertThat(rootMessage(failure))
        .contains("CircleCI token(s) of approvers are stored encrypted, but greenlight.secrets.key is not set"));
    assertThatThrownBy(() -> start(directory, SecretBoxTest.randomKey())).satisfies(failure -> assertThat(rootMessage(failure))
        .contains("The stored CircleCI token of alice was sealed with key").contains("previous-key"));
    try (ConfigurableApplicationContext again = start(directory, KEY)) {
      assertThat(again.isRunning()).isTrue();
    }
  }

  @Test
  void aDirectoryWithTokensIsRefusedWithoutAKey() throws Exception {
    assertThatThrownBy(() -> start(directoryWithAliceToken(), null)).satisfies(failure -> assertThat(rootMessage(failure))
        .contains("users [alice] have a circleci-token, but greenlight.secrets.key is not set")
        .doesNotContain("alice-own-circle-token"));
  }

  private ConfigurableApplicationContext start(Path directory, String key) {
    List<String> arguments = new ArrayList<>(List.of(
        "--server.port=0",
        "--camunda.bpm.job-execution.enabled=false",
        "--camunda.bpm.process-engine-name=secrets-at-start-" + UUID.randomUUID(),
        "--spring.datasource.url=" + database,
        "--spring.datasource.name=secrets-at-start-" + UUID.randomUUID(),
        "--greenlight.directory-file=" + directory,
        "--greenlight.admin.password=secrets-admin-password",
        "--greenlight.circleci.token=service-token"));
    if (key != null) {
      arguments.add("--greenlight.secrets.key=" + key);
    }
    return new SpringApplicationBuilder(GreenlightApplication.class).run(arguments.toArray(String[]::new));
  }

  private static Path directoryWithAliceToken() throws Exception {
    Path file = Files.createTempFile("directory", ".yaml");
    Files.writeString(file, """
        users:
          - { id: alice, password: alice-password, circleci-token: alice-own-circle-token, groups: [approvers] }
        groups:
          - id: approvers
        """);
    return file;
  }

  private static String rootMessage(Throwable failure) {
    return NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
  }
}
