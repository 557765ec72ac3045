package io.greenlight.freeze;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;

/** {@code /api/freezes}: declaring, listing and ending freezes, who may, and what is refused. */
class FreezesApiTest extends GreenlightApplicationTest {

  private static final String BOB = basic("bob", "bob-password");
  private static final String ALICE = basic("alice", "alice-password");
  private static final String IVAN = basic("ivan", "ivan-password");
  private static final String ADMIN = basic("admin", "test-admin-password");
  private static final List<FreezesChanged> published = new CopyOnWriteArrayList<>();
  private static boolean listening;

  @Autowired
  ConfigurableApplicationContext context;
  @Autowired
  Freezes freezes;
  @Autowired
  FreezeSchedule schedule;

  @BeforeEach
  void listenForChanges() {
    if (!listening) {
      context.addApplicationListener(event -> {
        if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof FreezesChanged changed) {
          published.add(changed);
        }
      });
      listening = true;
    }
    published.clear();
  }

  /** No freeze a test declared outlives it: other tests' requests must not be frozen. */
  @AfterEach
  void endEveryFreeze() {
    ClockUtil.reset();
    Instant now = Instant.now();
    schedule.activeAndUpcoming(now).stream().filter(freeze -> !freeze.recurring())
        .forEach(freeze -> schedule.end(freeze.id(), "test", now));
  }

  @Test
  void aManagerDeclaresAFreezeEveryoneSeesItAndAManagerEndsIt() {
    // gh/acme/frozen-shop becomes a project Greenlight knows. A project of its own: a freeze reaches every waiting request
    // it covers, and other tests' requests wait for gh/acme/shop.
    assertThat(client.postJson("/api/approvals", GreenlightTestClient.bearer(ACME_KEY), """
        {"project_slug": "gh/acme/frozen-shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(UUID.randomUUID())).status()).isEqualTo(201);
    Instant endsAt = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    Answer declared = client.postJson("/api/freezes", BOB, """
        {"projects": "gh/acme/frozen-*", "ends_at": "%s", "reason": "Incident 4711: checkout errors"}
        """.formatted(endsAt));

    assertThat(declared.status()).as(declared.raw().body()).isEqualTo(201);
    JsonNode freeze = declared.body();
    String id = freeze.get("id").asText();
    assertThat(declared.header("Location")).isEqualTo("/api/freezes/" + id);
    assertThat(freeze.get("projects").asText()).isEqualTo("gh/acme/frozen-*");
    assertThat(Instant.parse(freeze.get("starts_at").asText())).as("starts now")
        .isBetween(Instant.now().minusSeconds(60), Instant.now());
    assertThat(Instant.parse(freeze.get("ends_at").asText())).isEqualTo(endsAt);
    assertThat(freeze.get("reason").asText()).isEqualTo("Incident 4711: checkout errors");
    assertThat(freeze.get("created_by").asText()).isEqualTo("bob");
    assertThat(freeze.get("recurring").asBoolean()).isFalse();
    assertThat(freeze.get("active").asBoolean()).isTrue();
    assertThat(freeze.has("warnings")).as("gh/acme/frozen-shop matches").isFalse();
    assertThat(published).containsExactly(new FreezesChanged("gh/acme/frozen-*"));
    assertThat(freezes.activeFor("gh/acme/frozen-shop", Instant.now())).map(ActiveFreeze::reason).contains("Incident 4711: checkout errors");

    Answer list = client.get("/api/freezes", ALICE);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body().findValuesAsText("id")).contains(id);
    assertThat(client.get("/api/freezes/" + id, ALICE).body().get("reason").asText()).isEqualTo("Incident 4711: checkout errors");
    assertThat(client.get("/api/freezes", ADMIN).status()).isEqualTo(200);
    assertThat(client.get("/actuator/prometheus", ALICE).raw().body()).containsPattern("(?m)^greenlight_freezes_active [1-9]");

    assertThat(delete("/api/freezes/" + id, ALICE).status()).as("alice is no manager").isEqualTo(403);
    Answer ended = delete("/api/freezes/" + id, BOB);
    assertThat(ended.status()).isEqualTo(204);
    assertThat(client.get("/api/freezes", ALICE).body().findValuesAsText("id")).doesNotContain(id);
    JsonNode kept = client.get("/api/freezes/" + id, ALICE).body();
    assertThat(Instant.parse(kept.get("ends_at").asText())).isBefore(endsAt);
    assertThat(kept.get("active").asBoolean()).isFalse();
    assertThat(freezes.activeFor("gh/acme/frozen-shop", Instant.now())).isEmpty();
    assertThat(published).containsExactly(new FreezesChanged("gh/acme/frozen-*"), new FreezesChanged("gh/acme/frozen-*"));

    assertThat(delete("/api/freezes/" + id, BOB).status()).as("ended already: nothing to do").isEqualTo(204);
    assertThat(published).hasSize(2);
  }

  @Test
  void onlyAdminsAndManagersDeclareOrEnd() {
    String body = freezeBody("gh/acme/frozen-*", null, Instant.now().plus(1, ChronoUnit.HOURS), "Release");

    Answer alice = client.postJson("/api/freezes", ALICE, body);
    assertThat(alice.status()).isEqualTo(403);
    assertThat(alice.body().get("error").asText()).isEqualTo("forbidden");
    assertThat(alice.body().get("message").asText()).contains("release-managers");
    assertThat(client.postJson("/api/freezes", IVAN, body).status()).as("break-glass is not managing freezes").isEqualTo(403);
    assertThat(client.postJson("/api/freezes", bearer(ACME_KEY), body).status()).as("a CI key").isEqualTo(403);
    assertThat(client.get("/api/freezes", bearer(ACME_KEY)).status()).as("a CI key").isEqualTo(403);
    assertThat(client.postJson("/api/freezes", null, body).status()).isEqualTo(401);
    assertThat(client.get("/api/freezes", null).status()).isEqualTo(401);

    Answer admin = client.postJson("/api/freezes", ADMIN, body);
    assertThat(admin.status()).isEqualTo(201);
    assertThat(admin.body().get("created_by").asText()).isEqualTo("admin");
    String id = admin.body().get("id").asText();
    assertThat(delete("/api/freezes/" + id, IVAN).status()).isEqualTo(403);
    assertThat(delete("/api/freezes/" + id, ADMIN).status()).isEqualTo(204);
  }

  @Test
  void whatIsNoFreezeIsRefusedInWords() {
    Instant now = Instant.now();
    Instant inAnHour = now.plus(1, ChronoUnit.HOURS);

    assertError(client.postJson("/api/freezes", BOB, freezeBody("*", now.plus(2, ChronoUnit.HOURS), inAnHour, "Release")),
        "invalid_field", "ends_at", "ends_at must be after starts_at");
    assertError(client.postJson("/api/freezes", BOB, freezeBody("*", now.minus(2, ChronoUnit.HOURS), now.minus(1, ChronoUnit.HOURS), "Release")),
        "invalid_field", "ends_at", "ends_at must lie in the future");
    assertError(client.postJson("/api/freezes", BOB, """
        {"projects": "gh/acme/*", "ends_at": "%s"}""".formatted(inAnHour)), "missing_field", "reason", "Reason is required");
    assertError(client.postJson("/api/freezes", BOB, freezeBody("*", null, inAnHour, "   ")),
        "missing_field", "reason", "Reason is required");
    assertError(client.postJson("/api/freezes", BOB, freezeBody("*", null, inAnHour, "x".repeat(501))),
        "invalid_field", "reason", "at most 500 characters");
    assertError(client.postJson("/api/freezes", BOB, """
        {"reason": "Release"}"""), "missing_field", "ends_at", "Ends_at is required");
    assertError(client.postJson("/api/freezes", BOB, """
        {"ends_at": "tomorrow at noon", "reason": "Release"}"""), "invalid_field", "ends_at", "ends_at must be an ISO-8601 instant");
    assertError(client.postJson("/api/freezes", BOB, """
        {"starts_at": "2026-13-01T10:00:00Z", "ends_at": "%s", "reason": "Release"}""".formatted(inAnHour)),
        "invalid_field", "starts_at", "starts_at must be an ISO-8601 instant");
    assertError(client.postJson("/api/freezes", BOB, """
        {"ends_at": "2026-12-01T10:00:00", "reason": "Release"}"""), "invalid_field", "ends_at", "with its offset");
    assertError(client.postJson("/api/freezes", BOB, """
        {"ends_at": "%s", "reason": "Release", "end_at": "%s"}""".formatted(inAnHour, inAnHour)),
        "unknown_field", "end_at", "Field end_at is not part of a freeze");
    assertError(client.postJson("/api/freezes", BOB, freezeBody("gh/acme shop", null, inAnHour, "Release")),
        "invalid_field", "projects", "must be a glob over project slugs");
    assertError(client.postJson("/api/freezes", BOB, freezeBody("", null, inAnHour, "Release")),
        "invalid_field", "projects", "must be a glob over project slugs");
    assertError(client.postJson("/api/freezes", BOB, "[1, 2]"), "malformed_json", null, "not a JSON object");
    assertError(client.get("/api/freezes/not-a-freeze", BOB), "invalid_parameter", "id", "must be a freeze id");
    assertThat(client.get("/api/freezes", BOB).body().findValuesAsText("reason")).doesNotContain("Release");
  }

  @Test
  void unknownFreezesAre404AndRecurringOnesAreEndedInTheConfiguration() {
    String unknown = UUID.randomUUID().toString();
    assertError(delete("/api/freezes/" + unknown, BOB), "not_found", null, "Freeze " + unknown + " does not exist");
    assertError(client.get("/api/freezes/" + unknown, BOB), "not_found", null, "does not exist");
    // None is configured in the tests: recurring-0 is as unknown (FreezeScheduleTest ends a configured one: 409).
    assertError(delete("/api/freezes/recurring-0", BOB), "not_found", null, "does not exist");
  }

  @Test
  void aGlobMatchingNoProjectGreenlightKnowsIsDeclaredWithAWarning() {
    Answer declared = client.postJson("/api/freezes", BOB,
        freezeBody("gh/acme/shpo", null, Instant.now().plus(1, ChronoUnit.HOURS), "Typo in the glob"));

    assertThat(declared.status()).isEqualTo(201);
    assertThat(declared.body().get("warnings")).hasSize(1);
    assertThat(declared.body().get("warnings").get(0).asText()).contains("No project Greenlight knows", "gh/acme/shpo");
    assertThat(client.get("/api/freezes/" + declared.body().get("id").asText(), BOB).body().has("warnings"))
        .as("the warning is the declaring answer's only").isFalse();
    delete("/api/freezes/" + declared.body().get("id").asText(), BOB);
  }

  @Test
  void freezesFollowTheEnginesClock() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String id = client.postJson("/api/freezes", BOB, freezeBody("gh/acme/frozen-*", now.plus(1, ChronoUnit.HOURS),
        now.plus(2, ChronoUnit.HOURS), "Evening release")).body().get("id").asText();

    assertThat(listed(id)).as("to come").isNotNull();
    assertThat(listed(id).get("active").asBoolean()).isFalse();
    ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofMinutes(90))));
    assertThat(listed(id).get("active").asBoolean()).isTrue();
    ClockUtil.setCurrentTime(Date.from(now.plus(Duration.ofMinutes(150))));
    assertThat(listed(id)).as("over").isNull();
    assertError(client.postJson("/api/freezes", BOB, freezeBody("*", null, now.plus(2, ChronoUnit.HOURS), "Too late")),
        "invalid_field", "ends_at", "ends_at must lie in the future");
  }

  @Test
  void theListIsByStart() {
    Instant now = Instant.now();
    List<String> ids = new ArrayList<>();
    for (int hours : new int[] {5, 3, 4}) {
      ids.add(client.postJson("/api/freezes", BOB, freezeBody("gh/acme/frozen-*", now.plus(hours, ChronoUnit.HOURS),
          now.plus(hours + 1, ChronoUnit.HOURS), "Window " + hours)).body().get("id").asText());
    }

    List<String> listed = client.get("/api/freezes", BOB).body().findValuesAsText("id");
    assertThat(listed.stream().filter(ids::contains).toList()).containsExactly(ids.get(1), ids.get(2), ids.get(0));
    ids.forEach(id -> delete("/api/freezes/" + id, BOB));
  }

  private JsonNode listed(String id) {
    for (JsonNode freeze : client.get("/api/freezes", BOB).body()) {
      if (freeze.get("id").asText().equals(id)) {
        return freeze;
      }
    }
    return null;
  }

  private Answer delete(String path, String authorization) {
    return client.send(client.request(path, authorization).DELETE().build());
  }

  private static String freezeBody(String projects, Instant startsAt, Instant endsAt, String reason) {
    return "{" + (projects == null ? "" : "\"projects\": \"" + projects + "\", ")
        + (startsAt == null ? "" : "\"starts_at\": \"" + startsAt + "\", ")
        + "\"ends_at\": \"" + endsAt + "\", \"reason\": \"" + reason + "\"}";
  }

  private static void assertError(Answer answer, String error, String field, String message) {
    assertThat(answer.status()).as(answer.raw().body()).isEqualTo(error.equals("not_found") ? 404 : 400);
    assertThat(answer.body().get("error").asText()).isEqualTo(error);
    assertThat(answer.body().path("field").isMissingNode() ? null : answer.body().get("field").asText()).isEqualTo(field);
    assertThat(answer.body().get("message").asText()).contains(message);
  }
}
