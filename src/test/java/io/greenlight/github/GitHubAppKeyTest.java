package io.greenlight.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.greenlight.testing.FakeGitHub;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The App's key as GitHub hands it out (PKCS#1 PEM) signs the JWT GitHub expects; anything else fails, saying why. */
class GitHubAppKeyTest {

  @Test
  void theJwtIsRs256IssuedByTheAppAndLastsUnderTenMinutes() throws Exception {
    Instant now = Instant.parse("2026-12-04T10:00:00Z");
    String jwt = new GitHubAppKey(FakeGitHub.APP_ID, FakeGitHub.privateKeyPem()).jwt(now);

    String[] parts = jwt.split("\\.");
    assertThat(parts).hasSize(3);
    String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(header).contains("\"alg\":\"RS256\"");
    assertThat(claims).contains("\"iss\":\"" + FakeGitHub.APP_ID + "\"")
        .contains("\"iat\":" + now.minusSeconds(60).getEpochSecond())
        .contains("\"exp\":" + now.plus(GitHubAppKey.LIFETIME).getEpochSecond());
  }

  @Test
  void aKeyInEnvironmentVariableFormWithEscapedNewlinesIsReadToo() {
    String escaped = FakeGitHub.privateKeyPem().replace("\n", "\\n");
    assertThat(new GitHubAppKey(FakeGitHub.APP_ID, escaped).jwt(Instant.now())).isNotBlank();
  }

  @Test
  void somethingThatIsNoPemKeyIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> new GitHubAppKey("1", "ghp_not-a-key"))
        .hasMessageContaining("greenlight.github.private-key must be the App's private key in PEM")
        .hasMessageNotContaining("ghp_not-a-key");
    assertThatThrownBy(() -> new GitHubAppKey("1", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
        .hasMessageContaining("is not a readable RSA private key");
  }
}
