package io.greenlight.github;

import java.util.Optional;
import io.greenlight.web.ApprovalViewParts;
import org.slf4j.Logger;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GitHubProperties.class)
class GitHubConfiguration {

  private static final Logger log = LoggerFactory.getLogger(GitHubConfiguration.class);

  /**
   * GitHub gates when the App id, its private key and the webhook secret are set; otherwise off, and said so once. A
   * private key that cannot be read stops the start, naming the setting (never the key).
   */
  @Bean
  GitHubClient gitHubClient(GitHubProperties github) {
    if (!github.configured()) {
      log.info("GitHub gates are off: set greenlight.github.app-id, private-key and webhook-secret to gate GitHub Actions "
          + "deployments (docs/github.md).");
      return new GitHubClient(github, Optional.empty());
    }
    GitHubAppKey key = new GitHubAppKey(github.appId(), github.privateKey());
    log.info("GitHub gates on: App {} through {}, webhook at /github/webhook", github.appId().trim(), github.baseUrl());
    return new GitHubClient(github, Optional.of(key));
  }

  /** GitHub's webhook is checked before anything reads it: signed with the App's webhook secret. */
  @Bean
  GitHubWebhookCheck gitHubWebhookCheck(GitHubProperties github) {
    return new GitHubWebhookCheck(github);
  }

  /** {@code "github"} in a request's view: the run, environment and deployment, and the review Greenlight gave. */
  @Bean
  OpenApiCustomizer gitHubPartOfTheView() {
    return ApprovalViewParts.documented(GitHubGateKind.ID, GitHubPart.class);
  }
}
