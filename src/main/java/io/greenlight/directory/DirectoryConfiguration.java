package io.greenlight.directory;

import java.nio.file.Path;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class DirectoryConfiguration {

  @Bean
  Directory directory() {
    return new Directory();
  }

  /** Loaded before anything can ask who is who: a directory file that cannot be used stops the start. */
  @Bean
  DirectoryService directoryService(@Value("${greenlight.directory-file}") Path file, Directory directory,
                                    IdentityService identity, PersonalTokens personalTokens, JdbcTemplate jdbc) {
    DirectoryService service = new DirectoryService(file, new DirectoryFileReader(System::getenv), directory, identity,
        personalTokens, jdbc);
    service.load();
    return service;
  }

  @Bean
  ClusterDirectoryFollower clusterDirectoryFollower(DirectoryService directoryService) {
    return new ClusterDirectoryFollower(directoryService);
  }

  /** Every node looks now and then whether another node reloaded the directory. */
  static class ClusterDirectoryFollower {
    private final DirectoryService directoryService;

    ClusterDirectoryFollower(DirectoryService directoryService) {
      this.directoryService = directoryService;
    }

    @Scheduled(fixedDelayString = "${greenlight.directory-poll-interval:PT15S}", initialDelayString = "${greenlight.directory-poll-interval:PT15S}")
    void follow() {
      directoryService.followOtherNodes();
    }
  }
}
