package io.greenlight.directory;

import io.greenlight.secrets.SecretBox;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Approvers' own CircleCI tokens ({@code circleci-token} in the directory), kept sealed in Greenlight's table
 * {@code greenlight_circleci_token} and opened only for the call that uses one. Each is bound to its user, so a
 * sealed token moved to another row does not open. Nothing here ever logs or returns a token except to the caller
 * that makes the call.
 */
@Component
public class PersonalTokens {

  private static final Logger log = LoggerFactory.getLogger(PersonalTokens.class);

  private final JdbcTemplate jdbc;
  private final SecretBox box;

  public PersonalTokens(JdbcTemplate jdbc, SecretBox box) {
    this.jdbc = jdbc;
    this.box = box;
  }

  /**
   * At start-up: every stored token must open with the configured key (or, while changing keys, the previous one,
   * and is then sealed again with the new key). Otherwise Greenlight must not start: approvals would silently lose
   * their approvers' identity.
   */
  public void checkStoredTokensOpen() {
    List<Map<String, Object>> rows = jdbc.queryForList("select user_id, sealed_token from greenlight_circleci_token");
    if (rows.isEmpty()) {
      return;
    }
    if (!box.hasKey()) {
      throw new IllegalStateException(rows.size() + " CircleCI token(s) of approvers are stored encrypted, but "
          + "greenlight.secrets.key is not set. Set the key they were sealed with (see docs/security.md).");
    }
    int resealed = 0;
    for (Map<String, Object> row : rows) {
      String userId = (String) row.get("user_id");
      String sealed = (String) row.get("sealed_token");
      String token;
      try {
        token = box.open(sealed, context(userId));
      } catch (SecretBox.UnreadableSecretException e) {
        throw new IllegalStateException("The stored CircleCI token of " + userId + " " + e.getMessage()
            + ". Set the key the tokens were sealed with; to change keys, give the old one as "
            + "greenlight.secrets.previous-key for one start (see docs/security.md).");
      }
      if (!box.sealedWithCurrentKey(sealed)) {
        write(userId, box.seal(token, context(userId)));
        resealed++;
      }
    }
    if (resealed > 0) {
      log.info("Secrets: sealed {} stored CircleCI token(s) again with the new key {}; greenlight.secrets.previous-key can go",
          resealed, box.keyId());
    }
  }

  /** Before a directory is applied: tokens without a key to seal them are refused, and nothing is changed. */
  public void checkCanStore(DirectoryFile file) {
    if (box.hasKey()) {
      return;
    }
    List<String> withTokens = file.users().stream().filter(user -> user.circleciToken() != null).map(DirectoryFile.User::id).toList();
    if (!withTokens.isEmpty()) {
      throw new DirectoryException("Directory: users " + withTokens + " have a circleci-token, but greenlight.secrets.key is "
          + "not set, and tokens are only stored encrypted. Set the key (docs/security.md) or remove the tokens.");
    }
  }

  /** Stores the tokens of the directory's users, sealed; a user without one (or no longer listed) has none stored. */
  public void replaceWith(DirectoryFile file) {
    Map<String, String> wanted = new HashMap<>();
    file.users().stream().filter(user -> user.circleciToken() != null).forEach(user -> wanted.put(user.id(), user.circleciToken()));
    Map<String, String> stored = new HashMap<>();
    jdbc.queryForList("select user_id, sealed_token from greenlight_circleci_token")
        .forEach(row -> stored.put((String) row.get("user_id"), (String) row.get("sealed_token")));
    for (String userId : stored.keySet()) {
      if (!wanted.containsKey(userId)) {
        jdbc.update("delete from greenlight_circleci_token where user_id = ?", userId);
      }
    }
    wanted.forEach((userId, token) -> {
      String sealed = stored.get(userId);
      if (sealed != null && !box.knowsKeyOf(sealed)) {
        // Sealed by a node with another key (during a key change): that node keeps it; overwriting would lock it out.
        log.warn("Secrets: the stored CircleCI token of {} is sealed with a key this node does not have; left as it is", userId);
      } else if (!stillTheSame(sealed, userId, token)) {
        write(userId, box.seal(token, context(userId)));
      }
    });
  }

  /** The user's own token, opened for one call; empty when they have none or it cannot be opened. */
  public Optional<String> tokenOf(String userId) {
    if (userId == null) {
      return Optional.empty();
    }
    List<String> sealed = jdbc.queryForList("select sealed_token from greenlight_circleci_token where user_id = ?", String.class, userId);
    if (sealed.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(box.open(sealed.get(0), context(userId)));
    } catch (SecretBox.UnreadableSecretException e) {
      log.warn("Secrets: the stored CircleCI token of {} {}; the service token is used instead", userId, e.getMessage());
      return Optional.empty();
    }
  }

  private boolean stillTheSame(String sealed, String userId, String token) {
    if (sealed == null || !box.sealedWithCurrentKey(sealed)) {
      return false;
    }
    try {
      return box.open(sealed, context(userId)).equals(token);
    } catch (SecretBox.UnreadableSecretException e) {
      return false;
    }
  }

  private void write(String userId, String sealed) {
    Timestamp now = new Timestamp(ClockUtil.getCurrentTime().getTime());
    if (jdbc.update("update greenlight_circleci_token set sealed_token = ?, updated_at = ? where user_id = ?", sealed, now, userId) == 0) {
      try {
        jdbc.update("insert into greenlight_circleci_token (user_id, sealed_token, updated_at) values (?, ?, ?)", userId, sealed, now);
      } catch (DuplicateKeyException anotherNodeWroteItFirst) {
        jdbc.update("update greenlight_circleci_token set sealed_token = ?, updated_at = ? where user_id = ?", sealed, now, userId);
      }
    }
  }

  /** Binds a sealed token to its user. */
  private static String context(String userId) {
    return "circleci-token:" + userId;
  }
}
