package io.greenlight.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryFileReaderTest {

  private final DirectoryFileReader reader = new DirectoryFileReader(
      Map.of("ALICE_PASSWORD", "s3cret", "ACME_CI_KEY", "acme-key-0123456789abcdef")::get);

  private static final String EXAMPLE = """
      users:
        - id: alice
          name: Alice Example
          email: alice@example.com
          phone: "+15551230001"
          password: ${ALICE_PASSWORD}
          logins: [alice-gh, AliceOnCircle]
          groups: [engineering-managers]
        - id: bob
          groups: [engineering-managers]
      groups:
        - id: engineering-managers
          name: Engineering Managers
          escalate-to: directors
          on-call:
            rotation: P7D
            start: 2026-01-05T09:00:00Z
            members: [alice, bob]
        - id: directors
      api-clients:
        - id: circleci-acme
          key: ${ACME_CI_KEY}
          projects: ["gh/acme/*"]
      """;

  @Test
  void readsTheDocumentedExampleWithValuesFromTheEnvironment() {
    DirectoryFile directory = reader.parse(EXAMPLE, "directory.yaml");

    assertThat(directory.users()).extracting(DirectoryFile.User::id).containsExactly("alice", "bob");
    assertThat(directory.users().get(0).password()).isEqualTo("s3cret");
    assertThat(directory.groups().get(0).escalateTo()).isEqualTo("directors");
    assertThat(directory.groups().get(0).onCall().rotation()).isEqualTo(Duration.ofDays(7));
    assertThat(directory.apiClients().get(0).key()).isEqualTo("acme-key-0123456789abcdef");
  }

  @Test
  void anUnsetEnvironmentVariableIsNamedWithItsPlace() {
    DirectoryFileReader withoutPassword = new DirectoryFileReader(Map.of("ACME_CI_KEY", "acme-key-0123456789abcdef")::get);

    assertThatThrownBy(() -> withoutPassword.parse(EXAMPLE, "directory.yaml"))
        .isInstanceOf(DirectoryException.class)
        .hasMessageContaining("ALICE_PASSWORD is not set").hasMessageContaining("users[0].password");
  }

  @Test
  void mistakesAreListedWithTheirPlaces() {
    String broken = """
        users:
          - id: alice
            phone: "555-1234"
            email: not-an-address
            groups: [nobody]
          - id: alice
        groups:
          - id: ops
            escalate-to: missing
            on-call:
              rotation: P1D
              start: 2026-01-05T09:00:00Z
              members: [alice]
        api-clients:
          - id: ci
            key: short
        """;

    assertThatThrownBy(() -> reader.parse(broken, "directory.yaml"))
        .isInstanceOf(DirectoryException.class)
        .hasMessageContaining("users[0].phone").hasMessageContaining("users[0].email")
        .hasMessageContaining("users[0].groups: group 'nobody'").hasMessageContaining("users[1].id: user 'alice' is listed twice")
        .hasMessageContaining("groups[0].escalate-to").hasMessageContaining("groups[0].on-call.members")
        .hasMessageContaining("api-clients[0].key").hasMessageContaining("api-clients[0].projects");
  }

  @Test
  void slackMemberIdsAreChecked() {
    DirectoryFile read = reader.parse("""
        users:
          - { id: alice, phone: "+15551230001", slack: U023BECGF }
          - { id: bob, slack: W0ENTERPRS }
          - { id: carol }
        """, "directory.yaml");
    assertThat(read.users()).extracting(DirectoryFile.User::slack).containsExactly("U023BECGF", "W0ENTERPRS", null);

    assertThatThrownBy(() -> reader.parse("""
        users:
          - { id: alice, slack: alice }
          - { id: bob, slack: U023BECGF }
          - { id: carol, slack: U023BECGF }
        """, "directory.yaml"))
        .isInstanceOf(DirectoryException.class)
        .hasMessageContaining("users[0].slack").hasMessageContaining("not a Slack member id")
        .hasMessageContaining("users[2].slack").hasMessageContaining("also bob's");
  }

  @Test
  void onlyAPersonWithAPhoneMayBeCalled() {
    DirectoryFile read = reader.parse("""
        users:
          - { id: alice, phone: "+15551230001", voice: true }
          - { id: bob, phone: "+15551230002" }
        """, "directory.yaml");
    assertThat(read.users()).extracting(DirectoryFile.User::voice).containsExactly(true, false);

    assertThatThrownBy(() -> reader.parse("users:\n  - { id: alice, voice: true }\n", "directory.yaml"))
        .isInstanceOf(DirectoryException.class).hasMessageContaining("users[0].voice").hasMessageContaining("phone number");
    assertThatThrownBy(() -> reader.parse("users:\n  - { id: alice, phone: \"+15551230001\", voice: sometimes }\n", "directory.yaml"))
        .isInstanceOf(DirectoryException.class).hasMessageContaining("users[0].voice: ");
  }

  @Test
  void anUnknownKeyIsATypoNotSilence() {
    assertThatThrownBy(() -> reader.parse("users:\n  - id: alice\n    phone-number: \"+15551230001\"\n", "directory.yaml"))
        .isInstanceOf(DirectoryException.class).hasMessageContaining("unknown key 'phone-number'");
  }

  @Test
  void aMissingFileSaysWhereItWasLookedFor(@TempDir Path folder) {
    assertThatThrownBy(() -> reader.read(folder.resolve("directory.yaml")))
        .isInstanceOf(DirectoryException.class).hasMessageContaining("does not exist").hasMessageContaining("greenlight.directory-file");
  }

  @Test
  void invalidYamlIsReportedAsSuch(@TempDir Path folder) throws Exception {
    Path file = Files.writeString(folder.resolve("directory.yaml"), "users: [\n");

    assertThatThrownBy(() -> reader.read(file)).isInstanceOf(DirectoryException.class).hasMessageContaining("not valid YAML");
  }

  @Test
  void apiKeysAreMatchedByHashAndProjectsByGlob() {
    Directory directory = Directory.of(reader.parse(EXAMPLE, "directory.yaml"));

    ApiClientAccess client = directory.clientWithKey("acme-key-0123456789abcdef").orElseThrow();

    assertThat(client.id()).isEqualTo("circleci-acme");
    assertThat(client.mayRequest("gh/acme/shop")).isTrue();
    assertThat(client.mayRequest("gh/acme/shop/extra")).isFalse();
    assertThat(client.mayRequest("gh/other/shop")).isFalse();
    assertThat(directory.clientWithKey("acme-key-0123456789abcdeF")).isEmpty();
    assertThat(directory.clientWithKey("")).isEmpty();
  }

  @Test
  void theRequesterIsMatchedByIdEmailOrLogin() {
    Directory directory = Directory.of(reader.parse(EXAMPLE, "directory.yaml"));

    assertThat(directory.isRequester("alice", "alice")).isTrue();
    assertThat(directory.isRequester("alice", "ALICE@example.com")).isTrue();
    assertThat(directory.isRequester("alice", "aliceoncircle")).isTrue();
    assertThat(directory.requester("alice-gh").orElseThrow().id()).isEqualTo("alice");
    assertThat(directory.isRequester("alice", "octocat")).isFalse();
    assertThat(directory.isRequester("alice", null)).isFalse();
  }
}
