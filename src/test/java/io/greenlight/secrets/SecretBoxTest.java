package io.greenlight.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  static final String KEY = randomKey();
  static final String OTHER_KEY = randomKey();

  @Test
  void aSealedSecretOpensOnlyForItsContext() {
    SecretBox box = SecretBox.of(KEY, null);

    String sealed = box.seal("circle-token-of-alice", "circleci-token:alice");

    assertThat(sealed).startsWith("v1:" + box.keyId() + ":").doesNotContain("circle-token-of-alice");
    assertThat(box.open(sealed, "circleci-token:alice")).isEqualTo("circle-token-of-alice");
    assertThatThrownBy(() -> box.open(sealed, "circleci-token:mallory"))
        .isInstanceOf(SecretBox.UnreadableSecretException.class).hasMessageContaining("belongs to another entry");
  }

  @Test
  void everySealIsDifferent() {
    SecretBox box = SecretBox.of(KEY, null);

    assertThat(box.seal("same", "c")).isNotEqualTo(box.seal("same", "c"));
  }

  @Test
  void anAlteredSealDoesNotOpen() {
    SecretBox box = SecretBox.of(KEY, null);
    String sealed = box.seal("secret", "c");
    int at = sealed.lastIndexOf(':') + 1;
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(at));
    bytes[14] ^= 1; // one bit of the ciphertext, after the 12-byte nonce
    String altered = sealed.substring(0, at) + Base64.getEncoder().encodeToString(bytes);

    assertThatThrownBy(() -> box.open(altered, "c")).isInstanceOf(SecretBox.UnreadableSecretException.class);
  }

  @Test
  void anotherKeyDoesNotOpenItAndSaysWhichKeySealedIt() {
    String sealed = SecretBox.of(KEY, null).seal("secret", "c");
    SecretBox other = SecretBox.of(OTHER_KEY, null);

    assertThatThrownBy(() -> other.open(sealed, "c")).isInstanceOf(SecretBox.UnreadableSecretException.class)
        .hasMessageContaining("was sealed with key " + SecretBox.of(KEY, null).keyId())
        .hasMessageNotContaining(KEY);
    assertThatThrownBy(() -> SecretBox.of(null, null).open(sealed, "c")).hasMessageContaining("greenlight.secrets.key is not set");
  }

  @Test
  void thePreviousKeyStillOpensWhatItSealedDuringAKeyChange() {
    String sealed = SecretBox.of(KEY, null).seal("secret", "c");
    SecretBox changing = SecretBox.of(OTHER_KEY, KEY);

    assertThat(changing.open(sealed, "c")).isEqualTo("secret");
    assertThat(changing.sealedWithCurrentKey(sealed)).isFalse();
    assertThat(changing.sealedWithCurrentKey(changing.seal("secret", "c"))).isTrue();
  }

  @Test
  void aMalformedKeyIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> SecretBox.of("not base64 at all!", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("greenlight.secrets.key is not base64")
        .hasMessageNotContaining("not base64 at all!");
    assertThatThrownBy(() -> SecretBox.of(Base64.getEncoder().encodeToString(new byte[16]), null))
        .hasMessageContaining("decodes to 16 bytes; AES-256 needs 32");
    assertThatThrownBy(() -> SecretBox.of(null, KEY)).hasMessageContaining("previous-key is set but greenlight.secrets.key is not");
    assertThat(SecretBox.of(" ", null).hasKey()).isFalse();
  }

  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
