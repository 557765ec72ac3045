package io.greenlight.oncall;

import io.greenlight.directory.Directory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class OnCallConfiguration {

  @Bean
  OnCallSchedule onCallSchedule(Directory directory) {
    return new OnCallSchedule(directory);
  }
}
