package io.greenlight.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SmsTextTest {

  private static final Instant FIVE_PAST_FIVE = Instant.parse("2026-11-24T17:05:00Z");

  @Test
  void isTheTextOfTheProtocol() {
    assertThat(SmsText.approvalRequest("gh/acme/shop", "main", "abc1234def567", "octocat", "4821", FIVE_PAST_FIVE))
        .isEqualTo("Deploy approval: gh/acme/shop main abc1234 by octocat. Reply APPROVE 4821 or REJECT 4821 <reason>. Expires 17:05 UTC.");
  }

  @Test
  void leavesOutWhatTheRequestDidNotSay() {
    assertThat(SmsText.approvalRequest("gh/acme/shop", null, null, null, "0042", null))
        .isEqualTo("Deploy approval: gh/acme/shop. Reply APPROVE 0042 or REJECT 0042 <reason>.");
  }

  @Test
  void staysWithinTwoSegmentsWhateverItIsGiven() {
    String longBranch = "feature/" + "x".repeat(400);
    String text = SmsText.approvalRequest("gh/acme/" + "y".repeat(90), longBranch, "abc1234", "z".repeat(100), "4821", FIVE_PAST_FIVE);

    assertThat(text.length()).isLessThanOrEqualTo(SmsText.GSM_TWO_SEGMENTS);
    assertThat(text).contains("Reply APPROVE 4821 or REJECT 4821 <reason>. Expires 17:05 UTC.");
  }

  @Test
  void aCharacterOutsideTheGsmAlphabetHalvesTheRoom() {
    String text = SmsText.approvalRequest("gh/acme/shop", "release/ünïcødé-🚀-" + "x".repeat(100), "abc1234", "octocat", "4821",
        FIVE_PAST_FIVE);

    assertThat(text.length()).isLessThanOrEqualTo(SmsText.UCS2_TWO_SEGMENTS);
    assertThat(text).endsWith("Reply APPROVE 4821 or REJECT 4821 <reason>. Expires 17:05 UTC.");
  }
}
