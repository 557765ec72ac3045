package io.greenlight.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** GitHub's webhook signature, against the example in GitHub's docs (src/test/resources/contracts/README.md). */
class GitHubSignaturesTest {

  private static final String SECRET = "It's a Secret to Everybody";
  private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String GITHUBS_SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void githubsPublishedExampleIsValid() {
    assertThat(GitHubSignatures.sign(SECRET, BODY)).isEqualTo(GITHUBS_SIGNATURE);
    assertThat(GitHubSignatures.valid(SECRET, BODY, GITHUBS_SIGNATURE)).isTrue();
  }

  @Test
  void anyOtherBodySecretOrHeaderIsNot() {
    assertThat(GitHubSignatures.valid(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), GITHUBS_SIGNATURE)).isFalse();
    assertThat(GitHubSignatures.valid("another secret", BODY, GITHUBS_SIGNATURE)).isFalse();
    assertThat(GitHubSignatures.valid(SECRET, BODY, GITHUBS_SIGNATURE.substring("sha256=".length()))).isFalse();
    assertThat(GitHubSignatures.valid(SECRET, BODY, GITHUBS_SIGNATURE.replace("sha256=", "sha1="))).isFalse();
    assertThat(GitHubSignatures.valid(SECRET, BODY, null)).isFalse();
    assertThat(GitHubSignatures.valid(null, BODY, GITHUBS_SIGNATURE)).isFalse();
    assertThat(GitHubSignatures.valid("", BODY, GITHUBS_SIGNATURE)).isFalse();
  }
}
