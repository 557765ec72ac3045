package io.greenlight.circleci;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CircleCI client and the diagram's CircleCI steps, by the names the BPMN model uses. */
@Configuration
@EnableConfigurationProperties(CircleCiProperties.class)
class CircleCiConfiguration {

  @Bean
  CircleCiClient circleCiClient(CircleCiProperties properties) {
    return new CircleCiClient(properties);
  }

  @Bean
  CircleCiTokens circleCiTokens(CircleCiProperties properties) {
    return new CircleCiTokens(properties);
  }

  @Bean
  FindApprovalJob findApprovalJob(CircleCiClient client, CircleCiTokens tokens) {
    return new FindApprovalJob(client, tokens);
  }

  @Bean
  ApproveInCircleCi approveInCircleCi(CircleCiClient client, CircleCiTokens tokens) {
    return new ApproveInCircleCi(client, tokens);
  }

  @Bean
  CancelWorkflow cancelWorkflow(CircleCiClient client, CircleCiTokens tokens) {
    return new CancelWorkflow(client, tokens);
  }
}
