package io.greenlight.sms;

import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.sms.SmsReply.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmsReplyTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
      APPROVE 4821                | APPROVE        | 4821 | null
      approve 4821 looks good     | APPROVE        | 4821 | looks good
      YES 4821                    | APPROVE        | 4821 | null
      y 4821                      | APPROVE        | 4821 | null
      Yes                         | APPROVE        | null | null
      APPROVE looks good          | APPROVE        | null | looks good
      REJECT 4821 tests are red   | REJECT         | 4821 | tests are red
      no 4821 wrong branch        | REJECT         | 4821 | wrong branch
      Reject 4821                 | REJECT         | 4821 | null
      NO                          | REJECT         | null | null
      ESCALATE 4821               | ESCALATE       | 4821 | null
      '  approve:4821 '           | APPROVE        | 4821 | null
      approve 48211234            | APPROVE        | 48211234 | null
      APPROVE 482 looks good      | APPROVE        | 482  | looks good
      REJECT 123456789 bad        | REJECT         | 123456789 | bad
      yesterday 4821              | NOT_UNDERSTOOD | null | null
      ok                          | NOT_UNDERSTOOD | null | null
      ''                          | NOT_UNDERSTOOD | null | null
      """)
  void readsEveryFormOfTheProtocol(String body, Kind kind, String code, String text) {
    SmsReply reply = SmsReply.parse(body);

    assertThat(reply.kind()).isEqualTo(kind);
    assertThat(reply.code()).isEqualTo(code);
    assertThat(reply.text()).isEqualTo(text);
  }
}
