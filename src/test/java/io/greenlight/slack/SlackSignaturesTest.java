package io.greenlight.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Slack's request signatures, against the test vectors of src/test/resources/contracts/slack-interactivity.md. */
class SlackSignaturesTest {

  private static final String SLACKS_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow"
      + "&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
      + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
      + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  private static final String SLACKS_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  private static final String INTERACTIVITY_BODY = "payload=%7B%22type%22%3A%22block_actions%22%7D";
  private static final String INTERACTIVITY_SIGNATURE = "v0=81f8b45551c5aa1c19b81086d7ea760bf1a44e267b44b889dfd0f73762ef4bcb";

  @Test
  void slacksPublishedExampleIsValidAtItsTime() {
    SlackSignatures signatures = at("8f742231b10e8888abcd99yyyzzz85a5", 1531420618);

    assertThat(signatures.valid("1531420618", SLACKS_SIGNATURE, SLACKS_BODY)).isTrue();
    assertThat(signatures.valid("1531420618", SLACKS_SIGNATURE, SLACKS_BODY.replace("roadrunner", "coyote"))).isFalse();
    assertThat(signatures.valid("1531420619", SLACKS_SIGNATURE, SLACKS_BODY)).isFalse();
  }

  @Test
  void anInteractivityPayloadIsValidWithinFiveMinutesEitherWayAndNotAfterward() {
    String secret = "greenlight-test-signing-secret";
    long signedAt = 1767225600;

    assertThat(at(secret, signedAt).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isTrue();
    assertThat(at(secret, signedAt + 299).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isTrue();
    assertThat(at(secret, signedAt - 299).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isTrue();
    assertThat(at(secret, signedAt + 301).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isFalse();
    assertThat(at(secret, signedAt - 301).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isFalse();
    assertThat(at("another-secret", signedAt).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isFalse();
  }

  @Test
  void withoutASigningSecretOrWithMalformedHeadersNothingIsValid() {
    long signedAt = 1767225600;
    assertThat(at(null, signedAt).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isFalse();
    assertThat(at("", signedAt).valid("1767225600", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isFalse();
    SlackSignatures signatures = at("greenlight-test-signing-secret", signedAt);
    assertThat(signatures.valid(null, INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isFalse();
    assertThat(signatures.valid("1767225600", null, INTERACTIVITY_BODY)).isFalse();
    assertThat(signatures.valid("1767225600.5", INTERACTIVITY_SIGNATURE, INTERACTIVITY_BODY)).isFalse();
    assertThat(signatures.valid("1767225600", INTERACTIVITY_SIGNATURE.toUpperCase(), INTERACTIVITY_BODY)).isFalse();
  }

  private static SlackSignatures at(String secret, long epochSecond) {
    return new SlackSignatures(secret, Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }
}
