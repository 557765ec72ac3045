package io.greenlight.history;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HistoryProperties.class)
class HistoryConfiguration {

  @Bean
  static HistoryRetentionPlugin historyRetentionPlugin(HistoryProperties properties) {
    return new HistoryRetentionPlugin(properties);
  }

  @Bean
  static AuditHistoryLevel.Plugin auditHistoryLevel(HistoryProperties properties) {
    return new AuditHistoryLevel.Plugin(properties);
  }

  @Bean
  HistoryRetention historyRetention(RepositoryService repository, HistoryService history, ManagementService management,
                                    HistoryProperties properties) {
    return new HistoryRetention(repository, history, management, properties);
  }

  @Bean
  OwnTablesCleanup ownTablesCleanup(JdbcTemplate jdbc, HistoryProperties properties) {
    return new OwnTablesCleanup(jdbc, properties);
  }
}
