package io.greenlight.directory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Path;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.jdbc.core.JdbcTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the directory file into {@link Directory}, Camunda's identity store and the sealed {@link PersonalTokens}:
 * at start-up (a bad file, or stored tokens the configured key cannot open, stop the start with the reason) and on
 * reload (a bad file is refused and the last good one stays). A reload counts up a generation in the database; the
 * other nodes of a cluster see it and reload their copy of the file.
 */
public class DirectoryService {

  private static final Logger log = LoggerFactory.getLogger(DirectoryService.class);

  private final Path file;
  private final DirectoryFileReader reader;
  private final Directory directory;
  private final IdentitySync identitySync;
  private final PersonalTokens personalTokens;
  private final JdbcTemplate jdbc;
  private long generationSeen;

  public DirectoryService(Path file, DirectoryFileReader reader, Directory directory, IdentityService identity,
                          PersonalTokens personalTokens, JdbcTemplate jdbc) {
    this.file = file;
    this.reader = reader;
    this.directory = directory;
    this.identitySync = new IdentitySync(identity);
    this.personalTokens = personalTokens;
    this.jdbc = jdbc;
  }

  /** At start-up: the stored tokens must open, then load the file, and take note of the cluster's generation. */
  public synchronized Summary load() {
    personalTokens.checkStoredTokensOpen();
    generationSeen = generation();
    return apply();
  }

  /** An admin's reload on this node: apply the file, then tell the other nodes. */
  public synchronized Summary reload() {
    Summary summary = apply();
    jdbc.update("update greenlight_directory_generation set generation = generation + 1 where id = 1");
    generationSeen = generation();
    return summary;
  }

  /** Reloads when another node reloaded since; a bad file there was already refused there. */
  public synchronized void followOtherNodes() {
    long current = generation();
    if (current != generationSeen) {
      log.info("Directory: reloaded on another node (generation {}), reloading {}", current, file);
      try {
        apply();
      } catch (DirectoryException e) {
        log.error("Directory: cannot follow the reload on another node; keeping the directory in use. {}", e.getMessage());
      }
      generationSeen = current;
    }
  }

  private long generation() {
    Long generation = jdbc.queryForObject("select generation from greenlight_directory_generation where id = 1", Long.class);
    return generation == null ? 0 : generation;
  }

  /** Reads the file again and applies it; throws {@link DirectoryException} and changes nothing when it is bad. */
  private Summary apply() {
    DirectoryFile loaded = reader.read(file);
    personalTokens.checkCanStore(loaded);
    identitySync.apply(loaded);
    personalTokens.replaceWith(loaded);
    directory.replaceWith(loaded);
    Summary summary = new Summary(loaded.users().size(), loaded.groups().size(), loaded.apiClients().size());
    log.info("Directory {} loaded: {} users, {} groups, {} API clients", file, summary.users(), summary.groups(), summary.apiClients());
    return summary;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Summary(int users, int groups, int apiClients) {}
}
