package io.greenlight.sms;

import io.greenlight.approval.GateKinds;
import io.greenlight.approval.PublicLinks;
import io.greenlight.notify.Escalations;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import io.greenlight.twilio.TwilioProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
class SmsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SmsConfiguration.class);

  /** Twilio when it is configured; the log in the demo ({@code greenlight.sms.log-only}); otherwise SMS is off. */
  @Bean
  @Order(1)
  SmsChannel smsChannel(TwilioProperties twilio, @Value("${greenlight.sms.log-only:false}") boolean logOnly,
                        PublicLinks links, Escalations escalations, GateKinds gateKinds) {
    Optional<SmsSender> sender;
    if (logOnly) {
      log.info("SMS are written to the log, not sent (greenlight.sms.log-only)");
      sender = Optional.of(new LoggingSmsSender());
    } else if (twilio.configured()) {
      log.info("SMS go through Twilio at {} from {}", twilio.baseUrl(), twilio.fromNumber());
      sender = Optional.of(new TwilioSmsSender(twilio));
    } else {
      log.warn("SMS is off: set greenlight.twilio.account-sid, auth-token and from-number to send them. Approvers still "
          + "get e-mail (when configured) and Tasklist.");
      sender = Optional.empty();
    }
    return new SmsChannel(sender, links, escalations, gateKinds);
  }
}
