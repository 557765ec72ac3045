package io.greenlight.directory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the directory file into {@link Directory} and Camunda's identity store: at start-up (a bad file
 * stops the start with the reason) and on reload (a bad file is refused and the last good one stays).
 */
public class DirectoryService {

  private static final Logger log = LoggerFactory.getLogger(DirectoryService.class);

  private final Path file;
  private final DirectoryFileReader reader;
  private final Directory directory;
  private final IdentitySync identitySync;

  public DirectoryService(Path file, DirectoryFileReader reader, Directory directory, IdentityService identity) {
    this.file = file;
    this.reader = reader;
    this.directory = directory;
    this.identitySync = new IdentitySync(identity);
  }

  /** Reads the file again and applies it; throws {@link DirectoryException} and changes nothing when it is bad. */
  public synchronized Summary reload() {
    DirectoryFile loaded = reader.read(file);
    identitySync.apply(loaded);
    directory.replaceWith(loaded);
    List<String> unusedTokens = loaded.users().stream().filter(user -> user.circleciToken() != null).map(DirectoryFile.User::id).toList();
    if (!unusedTokens.isEmpty()) {
      log.warn("Directory: personal circleci-token of {} not used: approvals are made with the service token", unusedTokens);
    }
    Summary summary = new Summary(loaded.users().size(), loaded.groups().size(), loaded.apiClients().size());
    log.info("Directory {} loaded: {} users, {} groups, {} API clients", file, summary.users(), summary.groups(), summary.apiClients());
    return summary;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Summary(int users, int groups, int apiClients) {}
}
