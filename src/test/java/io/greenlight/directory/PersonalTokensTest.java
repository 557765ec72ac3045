package io.greenlight.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.greenlight.secrets.SecretBox;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Approvers' CircleCI tokens at rest: sealed in Greenlight's table, opened only for a call, refused without a key. */
class PersonalTokensTest {

  private static final String KEY = key();
  private static final String NEW_KEY = key();
  private JdbcTemplate jdbc;

  @BeforeEach
  void database() {
    JdbcDataSource database = new JdbcDataSource();
    database.setURL("jdbc:h2:mem:tokens-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(database).table("greenlight_schema_history").load().migrate();
    jdbc = new JdbcTemplate(database);
  }

  @Test
  void tokensAreStoredSealedAndOpenedForTheirOwner() {
    PersonalTokens tokens = new PersonalTokens(jdbc, SecretBox.of(KEY, null));

    tokens.replaceWith(directory(user("alice", "alice-circle-token"), user("bob", null)));

    assertThat(jdbc.queryForList("select sealed_token from greenlight_circleci_token", String.class))
        .singleElement().asString().startsWith("v1:").doesNotContain("alice-circle-token");
    assertThat(tokens.tokenOf("alice")).contains("alice-circle-token");
    assertThat(tokens.tokenOf("bob")).isEmpty();
  }

  @Test
  void aTokenMovedToAnotherUsersRowDoesNotOpen() {
    PersonalTokens tokens = new PersonalTokens(jdbc, SecretBox.of(KEY, null));
    tokens.replaceWith(directory(user("alice", "alice-circle-token"), user("mallory", "mallory-circle-token")));

    jdbc.update("update greenlight_circleci_token set sealed_token = (select sealed_token from greenlight_circleci_token "
        + "where user_id = 'alice') where user_id = 'mallory'");

    assertThat(tokens.tokenOf("mallory")).isEmpty();
  }

  @Test
  void aTokenTakenOutOfTheDirectoryIsDeletedAndAChangedOneReplaced() {
    PersonalTokens tokens = new PersonalTokens(jdbc, SecretBox.of(KEY, null));
    tokens.replaceWith(directory(user("alice", "first-token-1"), user("bob", "bob-token-1")));

    tokens.replaceWith(directory(user("alice", "second-token-2"), user("bob", null)));

    assertThat(tokens.tokenOf("alice")).contains("second-token-2");
    assertThat(jdbc.queryForObject("select count(*) from greenlight_circleci_token", Integer.class)).isEqualTo(1);
  }

  @Test
  void withoutAKeyTokensAreRefusedBeforeAnythingChanges() {
    PersonalTokens tokens = new PersonalTokens(jdbc, SecretBox.of(null, null));

    assertThatThrownBy(() -> tokens.checkCanStore(directory(user("alice", "alice-circle-token"))))
        .isInstanceOf(DirectoryException.class).hasMessageContaining("greenlight.secrets.key is not set")
        .hasMessageContaining("[alice]").hasMessageNotContaining("alice-circle-token");
    tokens.checkCanStore(directory(user("alice", null)));
  }

  @Test
  void storedTokensAndNoKeyOrTheWrongKeyStopTheStart() {
    new PersonalTokens(jdbc, SecretBox.of(KEY, null)).replaceWith(directory(user("alice", "alice-circle-token")));

    assertThatThrownBy(() -> new PersonalTokens(jdbc, SecretBox.of(null, null)).checkStoredTokensOpen())
        .hasMessageContaining("1 CircleCI token(s) of approvers are stored encrypted, but greenlight.secrets.key is not set");
    assertThatThrownBy(() -> new PersonalTokens(jdbc, SecretBox.of(NEW_KEY, null)).checkStoredTokensOpen())
        .hasMessageContaining("The stored CircleCI token of alice was sealed with key")
        .hasMessageContaining("greenlight.secrets.previous-key").hasMessageNotContaining("alice-circle-token");
    new PersonalTokens(jdbc, SecretBox.of(KEY, null)).checkStoredTokensOpen();
  }

  @Test
  void changingKeysSealsStoredTokensAgainWithTheNewKey() {
    new PersonalTokens(jdbc, SecretBox.of(KEY, null)).replaceWith(directory(user("alice", "alice-circle-token")));

    new PersonalTokens(jdbc, SecretBox.of(NEW_KEY, KEY)).checkStoredTokensOpen();

    PersonalTokens withTheNewKeyOnly = new PersonalTokens(jdbc, SecretBox.of(NEW_KEY, null));
    withTheNewKeyOnly.checkStoredTokensOpen();
    assertThat(withTheNewKeyOnly.tokenOf("alice")).contains("alice-circle-token");
  }

  @Test
  void duringAKeyChangeANodeWithTheOldKeyLeavesTokensSealedWithTheNewOneAlone() {
    new PersonalTokens(jdbc, SecretBox.of(NEW_KEY, KEY)).replaceWith(directory(user("alice", "alice-circle-token")));
    String sealedWithTheNewKey = jdbc.queryForObject("select sealed_token from greenlight_circleci_token", String.class);

    new PersonalTokens(jdbc, SecretBox.of(KEY, null)).replaceWith(directory(user("alice", "alice-circle-token")));

    assertThat(jdbc.queryForObject("select sealed_token from greenlight_circleci_token", String.class)).isEqualTo(sealedWithTheNewKey);
    assertThat(new PersonalTokens(jdbc, SecretBox.of(NEW_KEY, null)).tokenOf("alice")).contains("alice-circle-token");
  }

  @Test
  void withoutStoredTokensNoKeyIsNeeded() {
    new PersonalTokens(jdbc, SecretBox.of(null, null)).checkStoredTokensOpen();
  }

  private static DirectoryFile directory(DirectoryFile.User... users) {
    return new DirectoryFile(List.of(users), List.of(), List.of());
  }

  private static DirectoryFile.User user(String id, String circleciToken) {
    return new DirectoryFile.User(id, id, null, null, null, circleciToken, List.of());
  }

  private static String key() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
