package io.greenlight.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A directory reload on one node is followed by the others, through the generation kept in the database. */
@SpringBootTest(properties = {
    "camunda.bpm.job-execution.enabled=false",
    "camunda.bpm.process-engine-name=directoryReloadTest",
    "spring.datasource.url=jdbc:h2:mem:greenlight-directory-reload-test;DB_CLOSE_DELAY=-1",
    "spring.datasource.name=greenlight-directory-reload-test",
    "greenlight.admin.password=test-admin-password",
    "greenlight.directory-poll-interval=PT1H",
    // The test directory stores an approver's CircleCI token, which needs a key.
    "greenlight.secrets.key=V8tZ3mQ1xY6cN0rB4kH7wE2sL9aD5fG8jP1uT3oI6qM=",
})
class DirectoryReloadAcrossNodesTest {

  private static final Path FILE = copyOfTheTestDirectory();

  @DynamicPropertySource
  static void directoryFile(DynamicPropertyRegistry registry) {
    registry.add("greenlight.directory-file", FILE::toString);
  }

  @Autowired
  DirectoryService directoryService;
  @Autowired
  Directory directory;
  @Autowired
  JdbcTemplate jdbc;

  @Test
  void aReloadOnAnotherNodeIsFollowed() throws IOException {
    assertThat(directory.user("nina")).isEmpty();
    Files.writeString(FILE, Files.readString(FILE).replace("groups:\n  - id: approvers",
        "  - { id: nina, name: Nina New, email: nina@example.com, groups: [approvers] }\ngroups:\n  - id: approvers"));

    directoryService.followOtherNodes();
    assertThat(directory.user("nina")).as("nothing changed in the cluster yet").isEmpty();

    // What POST /api/admin/directory/reload on another node leaves in the shared database:
    jdbc.update("update greenlight_directory_generation set generation = generation + 1 where id = 1");
    directoryService.followOtherNodes();

    assertThat(directory.user("nina")).isPresent();
    assertThat(directory.isMember("nina", "approvers")).isTrue();
  }

  private static Path copyOfTheTestDirectory() {
    try {
      Path copy = Files.createTempFile("greenlight-directory", ".yaml");
      Files.copy(Path.of("src/test/resources/test-directory.yaml"), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      copy.toFile().deleteOnExit();
      return copy;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
