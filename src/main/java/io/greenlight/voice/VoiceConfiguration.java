package io.greenlight.voice;

import io.greenlight.approval.GateKinds;
import io.greenlight.approval.PublicLinks;
import io.greenlight.notify.Escalations;
import io.greenlight.twilio.TwilioProperties;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
class VoiceConfiguration {

  private static final Logger log = LoggerFactory.getLogger(VoiceConfiguration.class);

  /** Calls when Twilio is configured and {@code greenlight.twilio.voice} is on; otherwise off, and said so once. */
  @Bean
  @Order(4)
  VoiceChannel voiceChannel(TwilioProperties twilio, PublicLinks links, Escalations escalations, GateKinds gateKinds) {
    if (!twilio.calls()) {
      log.info("Phone calls are off: set greenlight.twilio.voice=true (with Twilio's account-sid, auth-token and from-number) "
          + "to call approvers with voice: true (docs/sms.md).");
      return new VoiceChannel(Optional.empty(), links, escalations, gateKinds);
    }
    log.info("Phone calls go through Twilio at {} from {}", twilio.baseUrl(), twilio.fromNumber());
    return new VoiceChannel(Optional.of(new TwilioCalls(twilio)), links, escalations, gateKinds);
  }
}
