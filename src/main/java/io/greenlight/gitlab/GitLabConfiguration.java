package io.greenlight.gitlab;

import io.greenlight.web.ApprovalViewParts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GitLabProperties.class)
class GitLabConfiguration {

  private static final Logger log = LoggerFactory.getLogger(GitLabConfiguration.class);

  /**
   * GitLab gates when the bot's token is set; otherwise a request for a {@code gl/} project is refused, saying what to
   * set. Said once at start either way.
   */
  @Bean
  GitLabClient gitLabClient(GitLabProperties gitlab) {
    if (gitlab.configured()) {
      log.info("GitLab gates on: through {} as the bot whose token is set", gitlab.apiUrl());
    } else {
      log.info("GitLab gates are off: set greenlight.gitlab.token (and base-url for your own GitLab) to gate GitLab "
          + "deployments (docs/gitlab.md).");
    }
    return new GitLabClient(gitlab);
  }

  /** {@code "gitlab"} in a request's view: the pipeline, environment, deployment and job, and the last call to GitLab. */
  @Bean
  OpenApiCustomizer gitLabPartOfTheView() {
    return ApprovalViewParts.documented(GitLabGateKind.ID, GitLabPart.class);
  }
}
