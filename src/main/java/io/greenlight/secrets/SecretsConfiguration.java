package io.greenlight.secrets;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class SecretsConfiguration {

  /** A malformed key stops the start, saying which property is at fault. */
  @Bean
  SecretBox secretBox(@Value("${greenlight.secrets.key:}") String key,
                      @Value("${greenlight.secrets.previous-key:}") String previousKey) {
    return SecretBox.of(key, previousKey);
  }
}
