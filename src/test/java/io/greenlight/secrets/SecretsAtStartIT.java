package io.greenlight.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.GreenlightProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code greenlight.secrets.key} at start-up, on the packaged application and its default database: approvers'
 * CircleCI tokens are stored sealed; with stored tokens, a start without the key or with another key is refused (the
 * process exits, saying what to do); with the right key it starts again. A directory with tokens and no key is refused.
 */
class SecretsAtStartIT {

  private static final String KEY = SecretBoxTest.randomKey();
  private static final String TOKEN = "alice-own-circle-token";

  @Test
  void storedTokensNeedTheirKeyToStart() throws Exception {
    Path workingDirectory = Files.createTempDirectory("greenlight-secrets");
    Path directory = directoryWithAliceToken(workingDirectory);

    GreenlightProcess first = start("secrets-first", workingDirectory, directory, KEY);
    first.awaitHealthy(Duration.ofSeconds(120));
    first.kill();
    assertThat(Files.readString(workingDirectory.resolve("data/greenlight.mv.db"), java.nio.charset.StandardCharsets.ISO_8859_1))
        .as("the database file, where plain text such as user ids can be read").contains("alice").doesNotContain(TOKEN);

    GreenlightProcess withoutKey = start("secrets-without-key", workingDirectory, directory, null);
    assertThat(withoutKey.awaitExit(Duration.ofSeconds(120))).isNotZero();
    assertThat(withoutKey.output()).contains("CircleCI token(s) of approvers are stored encrypted, but greenlight.secrets.key is not set")
        .doesNotContain(TOKEN);

    GreenlightProcess withAnotherKey = start("secrets-another-key", workingDirectory, directory, SecretBoxTest.randomKey());
    assertThat(withAnotherKey.awaitExit(Duration.ofSeconds(120))).isNotZero();
    assertThat(withAnotherKey.output()).contains("The stored CircleCI token of alice was sealed with key")
        .contains("greenlight.secrets.previous-key").doesNotContain(TOKEN).doesNotContain(KEY);

    GreenlightProcess again = start("secrets-again", workingDirectory, directory, KEY);
    again.awaitHealthy(Duration.ofSeconds(120));
    again.kill();
  }

  @Test
  void aDirectoryWithTokensIsRefusedWithoutAKey() throws Exception {
    Path workingDirectory = Files.createTempDirectory("greenlight-secrets");

    GreenlightProcess withoutKey = start("secrets-directory-without-key", workingDirectory, directoryWithAliceToken(workingDirectory), null);

    assertThat(withoutKey.awaitExit(Duration.ofSeconds(120))).isNotZero();
    assertThat(withoutKey.output()).contains("users [alice] have a circleci-token, but greenlight.secrets.key is not set")
        .doesNotContain(TOKEN);
  }

  private static GreenlightProcess start(String name, Path workingDirectory, Path directory, String key) {
    int port = GreenlightProcess.freePort();
    List<String> arguments = new ArrayList<>(List.of(
        "--greenlight.directory-file=" + directory,
        "--greenlight.admin.password=secrets-admin-password",
        "--greenlight.circleci.token=service-token"));
    if (key != null) {
      arguments.add("--greenlight.secrets.key=" + key);
    }
    return GreenlightProcess.start(name, port, arguments, workingDirectory);
  }

  private static Path directoryWithAliceToken(Path workingDirectory) throws Exception {
    Path file = workingDirectory.resolve("directory.yaml");
    // As in production, the token comes from the environment; here it is written in for the test.
    Files.writeString(file, """
        users:
          - { id: alice, password: alice-password, circleci-token: %s, groups: [approvers] }
        groups:
          - id: approvers
        """.formatted(TOKEN));
    return file;
  }
}
