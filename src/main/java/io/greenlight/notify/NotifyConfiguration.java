package io.greenlight.notify;

import io.greenlight.directory.Directory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class NotifyConfiguration {

  @Bean
  NotifyApprovers notifyApprovers(Directory directory) {
    return new NotifyApprovers(directory);
  }
}
