package io.greenlight.directory;

import java.nio.file.Path;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class DirectoryConfiguration {

  @Bean
  Directory directory() {
    return new Directory();
  }

  /** Loaded before anything can ask who is who: a directory file that cannot be used stops the start. */
  @Bean
  DirectoryService directoryService(@Value("${greenlight.directory-file}") Path file, Directory directory,
                                    IdentityService identity) {
    DirectoryService service = new DirectoryService(file, new DirectoryFileReader(System::getenv), directory, identity);
    service.reload();
    return service;
  }
}
