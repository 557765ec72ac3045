package io.greenlight.api;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OnCallApiTest extends GreenlightApplicationTest {

  private static final String ALICE = basic("alice", "alice-password");

  @Test
  void tellsWhoIsOnCallNowUntilWhenAndWhoIsNext() {
    JsonNode duty = client.get("/api/oncall/duty", ALICE).body();

    assertThat(duty.get("rotation").asBoolean()).isTrue();
    String onCall = duty.get("on_call").get(0).asText();
    assertThat(onCall).isIn("alice", "bob");
    Instant now = Instant.now();
    assertThat(Instant.parse(duty.get("since").asText())).isBeforeOrEqualTo(now);
    assertThat(Instant.parse(duty.get("until").asText())).isAfter(now);
    assertThat(duty.get("next").get("user").asText()).isEqualTo(onCall.equals("alice") ? "bob" : "alice");
    assertThat(duty.get("next").get("from").asText()).isEqualTo(duty.get("until").asText());
  }

  @Test
  void withoutARotationEveryMemberIsOnCall() {
    JsonNode approvers = client.get("/api/oncall/approvers", ALICE).body();

    assertThat(approvers.get("rotation").asBoolean()).isFalse();
    assertThat(approvers.get("on_call")).extracting(JsonNode::asText).containsExactlyInAnyOrder("alice", "bob", "octocat");
  }

  @Test
  void isForDirectoryUsersAndKnownGroups() {
    assertThat(client.get("/api/oncall/duty", bearer(ACME_KEY)).status()).isEqualTo(403);
    assertThat(client.get("/api/oncall/duty", null).status()).isEqualTo(401);
    assertThat(client.get("/api/oncall/nobody", ALICE).status()).isEqualTo(404);
  }
}
