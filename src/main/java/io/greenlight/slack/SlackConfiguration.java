package io.greenlight.slack;

import io.greenlight.notify.Escalations;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SlackProperties.class)
class SlackConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SlackConfiguration.class);

  /** Slack when its bot token and signing secret are set; otherwise off, and said so once. */
  @Bean
  @Order(3)
  SlackChannel slackChannel(SlackProperties slack, Escalations escalations) {
    if (!slack.configured()) {
      log.info("Slack is off: set greenlight.slack.bot-token and signing-secret to ask approvers in Slack (docs/slack.md).");
      return new SlackChannel(Optional.empty(), escalations);
    }
    log.info("Slack messages go through {}", slack.baseUrl());
    return new SlackChannel(Optional.of(new SlackApi(slack)), escalations);
  }

  /** Slack's requests are checked before anything reads them: signed by the app, from the bot token's own workspace. */
  @Bean
  SlackWebhookCheck slackWebhookCheck(SlackProperties slack) {
    if (slack.teamId() != null && !slack.teamId().isBlank()) {
      String team = slack.teamId().trim();
      return new SlackWebhookCheck(slack.signingSecret(), () -> team);
    }
    SlackApi api = slack.configured() ? new SlackApi(slack) : null;
    return new SlackWebhookCheck(slack.signingSecret(), () -> {
      if (api == null) {
        throw new IllegalStateException("Slack is off");
      }
      return api.teamId();
    });
  }
}
