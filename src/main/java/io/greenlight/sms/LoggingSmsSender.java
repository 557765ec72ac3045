package io.greenlight.sms;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The demo profile's SMS: written to the log instead of sent, so the flow can be tried without Twilio. */
class LoggingSmsSender implements SmsSender {

  private static final Logger log = LoggerFactory.getLogger(LoggingSmsSender.class);

  @Override
  public SentSms send(String to, String body, String statusCallback) {
    log.info("SMS to {}: {}", to, body);
    return new SentSms("LOG" + UUID.randomUUID().toString().replace("-", ""), "logged");
  }
}
