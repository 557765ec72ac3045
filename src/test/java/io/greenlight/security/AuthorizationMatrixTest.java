package io.greenlight.security;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every surface of Greenlight against every kind of caller: no credentials, wrong credentials, the wrong role, the
 * right role. Read the test names as a table.
 */
class AuthorizationMatrixTest extends GreenlightApplicationTest {

  private static final String ALICE = basic("alice", "alice-password");
  private static final String DAVE = basic("dave", "dave-password");
  private static final String BOB = basic("bob", "bob-password");
  private static final String ADMIN = basic("admin", "test-admin-password");
  private static final String NOBODY = basic("nobody", "guess");
  private static final String UNKNOWN_KEY = bearer("not-a-key-of-anybody-at-all");

  private final List<DynamicTest> table = new ArrayList<>();

  @TestFactory
  List<DynamicTest> everySurfaceAgainstEveryCaller() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), intake(workflowId)).body().get("id").asText();
    runDueJobs();
    String taskId = client.get("/engine-rest/task?processInstanceId=" + id, ALICE).body().get(0).get("id").asText();

    surface("POST /api/approvals (API key)");
    row("no credentials", 401, () -> client.postJson("/api/approvals", null, intake(UUID.randomUUID().toString())));
    row("unknown key", 401, () -> client.postJson("/api/approvals", UNKNOWN_KEY, intake(UUID.randomUUID().toString())));
    row("a key for other projects", 403, () -> client.postJson("/api/approvals", bearer(OTHER_KEY), intake(UUID.randomUUID().toString())));
    row("a person (HTTP Basic)", 403, () -> client.postJson("/api/approvals", ALICE, intake(UUID.randomUUID().toString())));
    row("the project's key", 201, () -> client.postJson("/api/approvals", bearer(ACME_KEY), intake(UUID.randomUUID().toString())));

    surface("POST /api/inbound/xmatters?apiKey=");
    row("no key", 401, () -> client.postJson("/api/inbound/xmatters", null, xmatters()));
    row("unknown key", 401, () -> client.postJson("/api/inbound/xmatters?apiKey=not-a-key-of-anybody-at-all", null, xmatters()));
    row("a key for other projects", 403, () -> client.postJson("/api/inbound/xmatters?apiKey=" + OTHER_KEY, null, xmatters()));
    row("the project's key", 201, () -> client.postJson("/api/inbound/xmatters?apiKey=" + ACME_KEY, null, xmatters()));

    surface("GET /api/approvals/{id}");
    row("no credentials", 401, () -> client.get("/api/approvals/" + id, null));
    row("unknown key", 401, () -> client.get("/api/approvals/" + id, UNKNOWN_KEY));
    row("wrong password", 401, () -> client.get("/api/approvals/" + id, NOBODY));
    row("a key for other projects (as if it did not exist)", 404, () -> client.get("/api/approvals/" + id, bearer(OTHER_KEY)));
    row("the project's key", 200, () -> client.get("/api/approvals/" + id, bearer(ACME_KEY)));
    row("a directory user", 200, () -> client.get("/api/approvals/" + id, DAVE));

    surface("GET /api/approvals");
    row("no credentials", 401, () -> client.get("/api/approvals", null));
    row("unknown key", 401, () -> client.get("/api/approvals", UNKNOWN_KEY));
    row("a key for other projects, asking for this one", 403, () -> client.get("/api/approvals?project_slug=gh/acme/shop", bearer(OTHER_KEY)));
    row("a key for other projects sees none of this one's", 200, () -> client.get("/api/approvals", bearer(OTHER_KEY)),
        answer -> assertThat(answer.body().findValuesAsText("project_slug")).doesNotContain("gh/acme/shop"));
    row("the project's key", 200, () -> client.get("/api/approvals", bearer(ACME_KEY)),
        answer -> assertThat(answer.body().findValuesAsText("id")).contains(id));

    surface("GET /api/approvals/{id}/audit.csv");
    row("no credentials", 401, () -> client.get("/api/approvals/" + id + "/audit.csv", null));
    row("a key for other projects (as if it did not exist)", 404, () -> client.get("/api/approvals/" + id + "/audit.csv", bearer(OTHER_KEY)));
    row("the project's key", 200, () -> client.get("/api/approvals/" + id + "/audit.csv", bearer(ACME_KEY)));
    row("a directory user", 200, () -> client.get("/api/approvals/" + id + "/audit?format=json", DAVE));

    surface("History pages (the Tasklist session)");
    row("no session: sent to sign in", 302, () -> client.get("/history/" + id, null),
        answer -> assertThat(answer.header("Location")).endsWith("/history/sign-in?next=%2Fhistory%2F" + id));
    row("HTTP Basic is not a session", 302, () -> client.get("/history", ALICE));
    row("the diagram without a session", 302, () -> client.get("/history/" + id + "/diagram.bpmn", null));
    row("a Tasklist session", 200, () -> withTasklistSession("alice", "alice-password", "/history/" + id));
    row("a Tasklist session, the list", 200, () -> withTasklistSession("dave", "dave-password", "/history"));
    row("the engine REST API's own /history is not a history page", 200,
        () -> client.get("/engine-rest/history/process-instance?processInstanceId=" + id, ADMIN));

    surface("POST /api/approvals/{id}/decision (HTTP Basic)");
    row("no credentials", 401, () -> decide(id, null));
    row("wrong password", 401, () -> decide(id, NOBODY));
    row("an API key", 403, () -> decide(id, bearer(ACME_KEY)));
    row("a directory user who is no approver of it", 403, () -> decide(id, DAVE));
    row("the admin, who is no approver of it either", 403, () -> decide(id, ADMIN));

    surface("GET /api/oncall/{group} (HTTP Basic)");
    row("no credentials", 401, () -> client.get("/api/oncall/duty", null));
    row("wrong password", 401, () -> client.get("/api/oncall/duty", NOBODY));
    row("an API key", 403, () -> client.get("/api/oncall/duty", bearer(ACME_KEY)));
    row("a directory user", 200, () -> client.get("/api/oncall/duty", DAVE));

    // A freeze of no project Greenlight has, ending soon: nothing else is frozen by it.
    String freeze = "{\"projects\": \"gh/authorization-matrix/*\", \"ends_at\": \""
        + java.time.Instant.now().plusSeconds(600) + "\", \"reason\": \"Authorization matrix\"}";
    String freezeId = client.postJson("/api/freezes", BOB, freeze).body().get("id").asText();
    surface("POST /api/freezes (admins and members of release-managers)");
    row("no credentials", 401, () -> client.postJson("/api/freezes", null, freeze));
    row("wrong password", 401, () -> client.postJson("/api/freezes", NOBODY, freeze));
    row("an API key", 403, () -> client.postJson("/api/freezes", bearer(ACME_KEY), freeze));
    row("a directory user who is no release manager", 403, () -> client.postJson("/api/freezes", DAVE, freeze));
    row("a release manager", 201, () -> client.postJson("/api/freezes", BOB, freeze));

    surface("GET /api/freezes (HTTP Basic)");
    row("no credentials", 401, () -> client.get("/api/freezes", null));
    row("an API key", 403, () -> client.get("/api/freezes", bearer(ACME_KEY)));
    row("a directory user", 200, () -> client.get("/api/freezes", DAVE));

    surface("DELETE /api/freezes/{id} (admins and members of release-managers)");
    row("no credentials", 401, () -> client.send(client.request("/api/freezes/" + freezeId, null).DELETE().build()));
    row("an API key", 403, () -> client.send(client.request("/api/freezes/" + freezeId, bearer(ACME_KEY)).DELETE().build()));
    row("a directory user who is no release manager", 403,
        () -> client.send(client.request("/api/freezes/" + freezeId, DAVE).DELETE().build()));
    row("the admin", 204, () -> client.send(client.request("/api/freezes/" + freezeId, ADMIN).DELETE().build()));

    surface("POST /api/admin/directory/reload (camunda-admin)");
    row("no credentials", 401, () -> client.postJson("/api/admin/directory/reload", null, ""));
    row("wrong password", 401, () -> client.postJson("/api/admin/directory/reload", NOBODY, ""));
    row("an API key", 403, () -> client.postJson("/api/admin/directory/reload", bearer(ACME_KEY), ""));
    row("an approver", 403, () -> client.postJson("/api/admin/directory/reload", ALICE, ""));
    row("the admin", 200, () -> client.postJson("/api/admin/directory/reload", ADMIN, ""));

    Map<String, String> reply = Map.of("From", "+15559999999", "Body", "APPROVE 0000", "MessageSid", "SM" + "a".repeat(32));
    surface("POST /twilio/sms (X-Twilio-Signature)");
    row("no signature", 403, () -> client.postTwilio("/twilio/sms", reply, null));
    row("a wrong signature", 403, () -> client.postTwilio("/twilio/sms", reply, "d3Jvbmcgc2lnbmF0dXJl"));
    row("signed by another Twilio account", 403, () -> client.postTwilio("/twilio/sms", reply,
        FakeTwilio.sign("another-accounts-auth-token", PUBLIC_URL + "/twilio/sms", reply)));
    row("signed for another URL", 403, () -> client.postTwilio("/twilio/sms", reply,
        FakeTwilio.sign("http://127.0.0.1:" + port + "/twilio/sms", reply)));
    row("signed by Twilio", 200, () -> client.postTwilio("/twilio/sms", reply, FakeTwilio.sign(PUBLIC_URL + "/twilio/sms", reply)));

    String statusPath = "/twilio/status?request=" + id + "&user=alice";
    Map<String, String> report = Map.of("MessageSid", "SM" + "b".repeat(32), "MessageStatus", "delivered");
    surface("POST /twilio/status (X-Twilio-Signature)");
    row("no signature", 403, () -> client.postTwilio(statusPath, report, null));
    row("a wrong signature", 403, () -> client.postTwilio(statusPath, report, "d3Jvbmcgc2lnbmF0dXJl"));
    row("signed by another Twilio account", 403, () -> client.postTwilio(statusPath, report,
        FakeTwilio.sign("another-accounts-auth-token", PUBLIC_URL + statusPath, report)));
    row("signed by Twilio", 204, () -> client.postTwilio(statusPath, report, FakeTwilio.sign(PUBLIC_URL + statusPath, report)));

    surface("POST /engine-rest/deployment/create (camunda-admin; Camunda Modeler deploys here)");
    row("no credentials", 401, () -> deploy(null));
    row("wrong password", 401, () -> deploy(NOBODY));
    row("an approver", 403, () -> deploy(ALICE));
    row("the admin", 200, () -> deploy(ADMIN));

    surface("POST /engine-rest/process-definition/key/deployment-approval/start (camunda-admin only)");
    row("no credentials", 401, () -> startByEngine(null));
    row("an API key", 401, () -> startByEngine(bearer(ACME_KEY)));
    // Camunda answers as if the definition did not exist for someone who may not read it.
    row("an approver (would bypass intake and the key's projects)", 404, () -> startByEngine(ALICE));

    surface("GET /engine-rest/process-instance/{id}/variables (camunda-admin only)");
    row("no credentials", 401, () -> client.get("/engine-rest/process-instance/" + id + "/variables", null));
    row("wrong password", 401, () -> client.get("/engine-rest/process-instance/" + id + "/variables", NOBODY));
    row("an approver", 403, () -> client.get("/engine-rest/process-instance/" + id + "/variables", ALICE));
    row("the admin", 200, () -> client.get("/engine-rest/process-instance/" + id + "/variables", ADMIN));

    surface("GET /engine-rest/task (a candidate's tasks only)");
    row("no credentials", 401, () -> client.get("/engine-rest/task?processInstanceId=" + id, null));
    row("wrong password", 401, () -> client.get("/engine-rest/task?processInstanceId=" + id, NOBODY));
    row("no candidate of it: sees nothing", 200, () -> client.get("/engine-rest/task?processInstanceId=" + id, DAVE),
        answer -> assertThat(answer.body()).isEmpty());
    row("a candidate", 200, () -> client.get("/engine-rest/task?processInstanceId=" + id, ALICE),
        answer -> assertThat(answer.body()).hasSize(1));

    surface("POST /engine-rest/task/{id}/complete");
    row("no credentials", 401, () -> client.postJson("/engine-rest/task/" + taskId + "/complete", null, answer()));
    row("no candidate of it", 403, () -> client.postJson("/engine-rest/task/" + taskId + "/complete", DAVE, answer()));

    surface("POST /engine-rest/task/{id}/bpmnError (ends the task without answering; admins only)");
    row("no credentials", 401, () -> client.postJson("/engine-rest/task/" + taskId + "/bpmnError", null, "{\"errorCode\": \"X\"}"));
    row("a candidate", 403, () -> client.postJson("/engine-rest/task/" + taskId + "/bpmnError", ALICE, "{\"errorCode\": \"X\"}"));

    surface("Camunda webapps (login)");
    row("Tasklist API without a session", 401, () -> new GreenlightTestClient(port).get("/camunda/api/engine/engine/default/task", null));
    row("Tasklist, wrong password", 401, () -> login("tasklist", "alice", "wrong-password"));
    row("Tasklist, an approver", 200, () -> login("tasklist", "alice", "alice-password"));
    row("Cockpit, an approver", 403, () -> login("cockpit", "alice", "alice-password"));
    row("Cockpit, the admin", 200, () -> login("cockpit", "admin", "test-admin-password"));
    row("Admin, an approver", 403, () -> login("admin", "alice", "alice-password"));
    row("Admin, the admin", 200, () -> login("admin", "admin", "test-admin-password"));
    row("Tasklist, a default password (admin/admin)", 401, () -> login("tasklist", "admin", "admin"));

    surface("Actuator");
    row("health, no credentials (the only open endpoint)", 200, () -> client.get("/actuator/health", null));
    row("env, no credentials", 401, () -> client.get("/actuator/env", null));
    row("env, the admin (not exposed at all)", 403, () -> client.get("/actuator/env", ADMIN));
    row("prometheus, no credentials", 401, () -> client.get("/actuator/prometheus", null));
    row("prometheus, an API key", 401, () -> client.get("/actuator/prometheus", bearer(ACME_KEY)));
    row("prometheus, wrong password", 401, () -> client.get("/actuator/prometheus", NOBODY));
    row("prometheus, a directory user", 200, () -> client.get("/actuator/prometheus", DAVE));

    surface("The demo profile's stand-ins, outside the demo profile");
    row("the stand-in phone", 404, () -> client.postTwilio("/demo/sms", Map.of("From", "+15551230001", "Body", "APPROVE"), null));
    row("the CircleCI simulator", 404, () -> client.get("/demo/circleci/calls", null));

    // Last, as it ends the request: the one right answer.
    surface("POST /api/approvals/{id}/decision (HTTP Basic)");
    row("an approver of it", 200, () -> decide(id, ALICE));
    return table;
  }

  private String currentSurface;

  private void surface(String name) {
    currentSurface = name;
  }

  private void row(String caller, int status, Supplier<Answer> call) {
    row(caller, status, call, answer -> {});
  }

  private void row(String caller, int status, Supplier<Answer> call, Consumer<Answer> alsoTrue) {
    String surface = currentSurface;
    table.add(DynamicTest.dynamicTest(surface + " | " + caller + " -> " + status, () -> {
      Answer answer = call.get();
      assertThat(answer.status()).as("%s | %s: %s", surface, caller, answer.raw().body()).isEqualTo(status);
      assertThat(answer.raw().body()).as("no stack trace").doesNotContainPattern("\\bat [a-z]+\\.[a-z]+\\.").doesNotContain("Caused by");
      alsoTrue.accept(answer);
    }));
  }

  private Answer decide(String id, String authorization) {
    return client.postJson("/api/approvals/" + id + "/decision", authorization, "{\"decision\": \"approve\"}");
  }

  private Answer deploy(String authorization) {
    String boundary = "matrix-" + UUID.randomUUID();
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nmatrix\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"matrix.bpmn\"\r\n"
        + "Content-Type: application/xml\r\n\r\n" + """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                     targetNamespace="https://greenlight.io/test">
          <process id="matrix-%s" isExecutable="true" camunda:historyTimeToLive="1"><startEvent id="Start" /></process>
        </definitions>
        """.formatted(UUID.randomUUID().toString().substring(0, 8)) + "\r\n--" + boundary + "--\r\n";
    return client.send(client.request("/engine-rest/deployment/create", authorization)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
  }

  private Answer startByEngine(String authorization) {
    return client.postJson("/engine-rest/process-definition/key/deployment-approval/start", authorization,
        "{\"variables\": {\"projectSlug\": {\"value\": \"gh/elsewhere/app\"}, \"workflowId\": {\"value\": \"" + UUID.randomUUID() + "\"}}}");
  }

  /** Signs in to the webapps as Tasklist does, then asks for {@code path} with that session's cookie. */
  private Answer withTasklistSession(String user, String password, String path) {
    GreenlightTestClient browser = new GreenlightTestClient(port);
    assertThat(browser.webappLogin("tasklist", user, password)).isNotNull();
    return browser.get(path, null);
  }

  private Answer login(String app, String user, String password) {
    GreenlightTestClient browser = new GreenlightTestClient(port);
    return browser.postForm("/camunda/api/admin/auth/user/default/login/" + app,
        "username=" + user + "&password=" + password, browser.webappXsrfToken());
  }

  private static String answer() {
    return "{\"variables\": {\"decision\": {\"value\": \"approve\"}}}";
  }

  private static String intake(String workflowId) {
    return """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId);
  }

  private static String xmatters() {
    String workflowId = UUID.randomUUID().toString();
    return """
        {"properties": {"author": "octocat", "workflow_id": "%s", "branch": "main",
         "build_url": "https://app.circleci.com/pipelines/github/acme/shop/1/workflows/%s/jobs/2", "recipients": "approvers"}}
        """.formatted(workflowId, workflowId);
  }

}
