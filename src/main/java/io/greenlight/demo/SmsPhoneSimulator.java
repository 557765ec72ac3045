package io.greenlight.demo;

import io.greenlight.sms.SmsReplies;
import java.util.UUID;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo profile's phone: {@code POST /demo/sms} with {@code From} and {@code Body} answers like an approver's
 * SMS reply through Twilio would (without Twilio's signature, which only Twilio can make), and returns the
 * answer Greenlight would text back.
 */
@Profile("demo")
@RestController
class SmsPhoneSimulator {

  private final SmsReplies replies;

  SmsPhoneSimulator(SmsReplies replies) {
    this.replies = replies;
  }

  @PostMapping(path = "/demo/sms", produces = MediaType.TEXT_PLAIN_VALUE)
  String reply(@RequestParam("From") String from, @RequestParam("Body") String body) {
    return replies.answer(from, body, "DEMO" + UUID.randomUUID().toString().replace("-", "")) + "\n";
  }
}
