package io.greenlight.twilio;

import io.greenlight.approval.PublicLinks;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Twilio account SMS and phone calls share: its settings and the check of its webhooks' signatures. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TwilioProperties.class)
class TwilioConfiguration {

  @Bean
  TwilioSignatures twilioSignatures(TwilioProperties twilio, PublicLinks links) {
    return new TwilioSignatures(twilio.authToken(), links);
  }

  @Bean
  TwilioWebhookCheck twilioWebhookCheck(TwilioSignatures signatures) {
    return new TwilioWebhookCheck(signatures);
  }
}
