package io.greenlight.database;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseProperties.class)
class DatabaseConfiguration {

  /** The embedded H2 file (the default) is kept compact; an in-memory H2 has no file, PostgreSQL keeps its own house. */
  @Bean
  @Conditional(EmbeddedH2File.class)
  H2FileMaintenance h2FileMaintenance(DataSource dataSource, DatabaseProperties properties) {
    return new H2FileMaintenance(dataSource, properties, Clock.systemUTC());
  }

  /** {@code spring.datasource.url} opens an H2 database file in this process. */
  static class EmbeddedH2File implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String url = context.getEnvironment().getProperty("spring.datasource.url", "");
      return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:mem:") && !url.startsWith("jdbc:h2:tcp:")
          && !url.startsWith("jdbc:h2:ssl:");
    }
  }
}
