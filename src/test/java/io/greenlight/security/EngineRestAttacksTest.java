package io.greenlight.security;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a hostile approver (a candidate of the task) and a hostile colleague (a directory user) can try through
 * Camunda's own REST API, and what they get: a 4xx with Greenlight's words, no object built, nothing changed.
 */
class EngineRestAttacksTest extends GreenlightApplicationTest {

  private static final String ALICE = basic("alice", "alice-password");
  /** A class name (org.example.Thing), an exception's name, or Jackson's and the class loader's words. */
  private static final Pattern INTERNALS = Pattern.compile(
      "([a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*|\\w+(Exception|Error)\\b[^\"]|com\\.fasterxml|class ?loader|\\tat |Cannot cast|cannot be cast",
      Pattern.CASE_INSENSITIVE);

  @Autowired
  RuntimeService runtime;

  @ParameterizedTest
  @ValueSource(strings = {"org.springframework.core.io.FileSystemResource", "java.net.URL", "java.util.HashMap"})
  void anAnswerGivenAsAnObjectIsRefusedBeforeAnythingIsBuilt(String objectType) {
    String workflowId = UUID.randomUUID().toString();
    String approvalRequestId = circleCi.workflowOnHold(workflowId, "hold");
    String id = askForApproval(workflowId);
    String taskId = taskOf(id);

    for (String field : List.of("comment", "decision")) {
      String other = field.equals("comment") ? "\"decision\": {\"value\": \"approve\"}" : "\"comment\": {\"value\": \"ok\"}";
      Answer refused = client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, """
          {"variables": {%s, "%s": {"type": "Object", "value": "\\"/etc/passwd\\"",
            "valueInfo": {"objectTypeName": "%s", "serializationDataFormat": "application/json"}}}}
          """.formatted(other, field, objectType));

      assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
      assertThat(refused.raw().body()).contains("'" + field + "' must be given as text");
      assertNoInternals(refused);
    }

    Answer jsonComment = client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, """
        {"variables": {"decision": {"value": "approve"}, "comment": {"type": "Json", "value": "{\\"a\\": 1}"}}}
        """);
    Answer objectDetail = client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, """
        {"variables": {"decision": {"value": "approve"}, "projectSlug": {"type": "Object", "value": "\\"gh/acme/shop\\"",
          "valueInfo": {"objectTypeName": "java.lang.String", "serializationDataFormat": "application/json"}}}}
        """);
    assertThat(List.of(jsonComment.status(), objectDetail.status())).containsOnly(400);
    assertNoInternals(jsonComment);
    assertNoInternals(objectDetail);

    JsonNode pending = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("decisions")).isEmpty();
    assertThat(circleCi.requests("POST", "/approve/" + approvalRequestId)).isEmpty();
  }

  @Test
  void theTasklistFormTakesTextOnlyToo() {
    String id = requestApproval();
    String taskId = taskOf(id);
    GreenlightTestClient tasklist = new GreenlightTestClient(port);
    tasklist.webappLogin("tasklist", "alice", "alice-password");
    assertThat(tasklist.get("/camunda/api/engine/engine/default/task/" + taskId, null).status()).isEqualTo(200);

    Answer submitted = tasklist.send(tasklist.request("/camunda/api/engine/engine/default/task/" + taskId + "/submit-form", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", tasklist.currentXsrfToken())
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"variables": {"decision": {"value": "approve"}, "comment": {"type": "Object", "value": "\\"/etc/passwd\\"",
              "valueInfo": {"objectTypeName": "org.springframework.core.io.FileSystemResource",
                            "serializationDataFormat": "application/json"}}}}
            """)).build());

    assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(400);
    assertThat(submitted.raw().body()).contains("'comment' must be given as text");
    assertNoInternals(submitted);
    assertThat(client.get("/api/approvals/" + id, bearer(ACME_KEY)).body().get("decisions")).isEmpty();
  }

  @Test
  void theEngineBuildsNoObjectOfATypeItWasNotAllowed() {
    String id = requestApproval();
    // Even an admin's (or a script's) object variable of another type is never deserialized.
    runtime.setVariable(id, "planted", Variables.serializedObjectValue("\"/etc/passwd\"")
        .objectTypeName("org.springframework.core.io.FileSystemResource").serializationDataFormat("application/json").create());

    assertThatThrownBy(() -> runtime.getVariable(id, "planted")).isInstanceOf(ProcessEngineException.class)
        .hasMessageContaining("FileSystemResource");
  }

  @Test
  void aRefusedAnswerThroughTheEngineIsA400WithGreenlightsReason() {
    String id = requestApproval();
    String taskId = taskOf(id);
    String octocat = basic("octocat", "octocat-password"); // the requester, a member of the approver group

    Answer ownDeploy = client.postJson("/engine-rest/task/" + taskId + "/complete", octocat,
        "{\"variables\": {\"decision\": {\"value\": \"approve\"}}}");
    Answer noReason = client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE,
        "{\"variables\": {\"decision\": {\"value\": \"reject\"}}}");
    Answer rewrite = client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE,
        "{\"variables\": {\"decision\": {\"value\": \"approve\"}, \"requestedBy\": {\"value\": \"alice\"}}}");
    Answer bpmnError = client.postJson("/engine-rest/task/" + taskId + "/bpmnError", ALICE, "{\"errorCode\": \"X\"}");

    assertThat(ownDeploy.status()).isEqualTo(400);
    assertThat(ownDeploy.body().get("message").asText()).contains("Nobody may approve their own deployment");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(rewrite.status()).isEqualTo(400);
    assertThat(rewrite.body().get("message").asText()).contains("not 'requestedBy'");
    assertThat(bpmnError.status()).isEqualTo(403);
    for (Answer answer : List.of(ownDeploy, noReason, rewrite, bpmnError)) {
      assertNoInternals(answer);
    }
    assertThat(client.get("/api/approvals/" + id, bearer(ACME_KEY)).body().get("status").asText()).isEqualTo("PENDING");
  }

  @Test
  void badInputToTheEngineAnswersWithoutItsInternals() {
    String id = requestApproval();
    String taskId = taskOf(id);

    List<Answer> answers = List.of(
        client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, "{\"variables\": {\"decision\": {\"type\": \"Nonsense\", \"value\": 1}}}"),
        client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, "{\"variables\": [1, 2]"),
        client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, "{\"variables\": {\"decision\": {\"type\": \"Integer\", \"value\": \"x\"}}}"),
        client.get("/engine-rest/task?processInstanceId=" + id + "&sortBy=nonsense&sortOrder=asc", ALICE),
        client.get("/engine-rest/task/" + taskId + "/variables/comment?deserializeValue=true", ALICE));

    for (Answer answer : answers) {
      assertThat(answer.status()).as(answer.raw().body()).isBetween(400, 499);
      assertNoInternals(answer);
    }
  }

  @Test
  void malformedJsonIsAnsweredInPlainWordsByTheEngineApiAndTheWebappsApiAlike() {
    String taskId = taskOf(requestApproval());
    GreenlightTestClient tasklist = new GreenlightTestClient(port);
    tasklist.webappLogin("tasklist", "alice", "alice-password");
    assertThat(tasklist.get("/camunda/api/engine/engine/default/task/" + taskId, null).status()).isEqualTo(200);

    Answer engineRest = client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, "{\"variables\": {\"decision\": ");
    Answer webappApi = tasklist.send(tasklist.request("/camunda/api/engine/engine/default/task/" + taskId + "/submit-form", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", tasklist.currentXsrfToken())
        .POST(HttpRequest.BodyPublishers.ofString("{\"variables\": {\"decision\": ")).build());

    for (Answer answer : List.of(engineRest, webappApi)) {
      assertThat(answer.status()).as(answer.raw().body()).isEqualTo(400);
      // Jackson's own words name its parser and the source; Camunda's mapper passes them on, Greenlight's does not.
      assertThat(answer.body().get("type").asText()).isEqualTo("InvalidRequestException");
      assertThat(answer.body().get("message").asText()).as(answer.raw().uri() + " " + answer.raw().body())
          .startsWith("The request is not valid");
      assertNoInternals(answer);
    }
  }

  @Test
  void usersCannotChangeTheirOwnPasswordOrProfileBehindTheDirectorysBack() {
    String dave = basic("dave", "dave-password");
    Answer password = client.send(client.request("/engine-rest/user/dave/credentials", dave)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"password\": \"taken-over-1\", \"authenticatedUserPassword\": \"dave-password\"}"))
        .build());
    Answer profile = client.send(client.request("/engine-rest/user/dave/profile", dave)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"id\": \"dave\", \"firstName\": \"Dave\", \"lastName\": \"X\", \"email\": \"bob@example.com\"}"))
        .build());
    Answer deleted = client.send(client.request("/engine-rest/user/dave", dave).DELETE().build());

    assertThat(List.of(password.status(), profile.status(), deleted.status())).containsOnly(403);
    assertThat(client.get("/engine-rest/user/dave/profile", dave).body().get("email").asText()).isEqualTo("dave@example.com");
    assertThat(client.get("/api/oncall/duty", dave).status()).isEqualTo(200); // the old password still works
    for (Answer answer : List.of(password, profile, deleted)) {
      assertNoInternals(answer);
    }

    // The same through the webapps' API (the welcome page's "change password"), with a Tasklist session.
    GreenlightTestClient webapp = new GreenlightTestClient(port);
    webapp.webappLogin("tasklist", "dave", "dave-password");
    assertThat(webapp.get("/camunda/api/engine/engine/default/user/dave/profile", null).status()).isEqualTo(200);
    Answer viaWebapp = webapp.send(webapp.request("/camunda/api/engine/engine/default/user/dave/credentials", null)
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", webapp.currentXsrfToken())
        .PUT(HttpRequest.BodyPublishers.ofString("{\"password\": \"taken-over-1\", \"authenticatedUserPassword\": \"dave-password\"}"))
        .build());
    assertThat(viaWebapp.status()).isEqualTo(403);
    assertThat(client.get("/api/oncall/duty", dave).status()).isEqualTo(200);
  }

  @Test
  void aCandidateCannotWriteCommentsOnTheTask() {
    String taskId = taskOf(requestApproval());

    Answer comment = client.postJson("/engine-rest/task/" + taskId + "/comment/create", ALICE, "{\"message\": \"x\"}");

    assertThat(comment.status()).isBetween(400, 403);
    assertThat(client.get("/engine-rest/task/" + taskId + "/comment", basic("admin", "test-admin-password")).body()).isEmpty();
  }

  @Test
  void hugeBodiesAreRefusedBeforeTheyAreRead() {
    String taskId = taskOf(requestApproval());
    String huge = "{\"variables\": {\"comment\": {\"value\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}}}";

    refusedAsTooLarge(() -> client.postJson("/engine-rest/task/" + taskId + "/complete", ALICE, huge));
    refusedAsTooLarge(() -> client.send(client.request("/engine-rest/task/" + taskId + "/complete", ALICE)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge.getBytes()))).build()));
    refusedAsTooLarge(() -> client.postJson("/camunda/api/engine/engine/default/task/" + taskId + "/submit-form", null, huge));

    assertThat(client.get("/engine-rest/task/" + taskId, ALICE).status()).as("the task still waits, nothing recorded").isEqualTo(200);
  }

  /**
   * The refusal goes out before the rest of the body is read, on every path: declared too long, or found too long while
   * it streams in. Asked over a socket that sends no more than it must, so that it is the answer that is checked.
   */
  @ParameterizedTest
  @ValueSource(strings = {"/engine-rest/task/%s/complete", "/camunda/api/engine/engine/default/task/%s/submit-form"})
  void theRefusalOfATooLargeBodyIsSentBeforeTheRestOfItIsRead(String path) throws IOException {
    String target = path.formatted(taskOf(requestApproval()));
    try (Socket declared = new Socket("127.0.0.1", port)) {
      declared.setSoTimeout(10_000);
      declared.getOutputStream().write(("POST " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + ALICE
          + "\r\nContent-Type: application/json\r\nContent-Length: " + 2 * 1024 * 1024 + "\r\n\r\n{\"variables\": ")
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(declared.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .startsWith("HTTP/1.1 413").contains("\"payload_too_large\"");
    }
    try (Socket streamed = new Socket("127.0.0.1", port)) {
      streamed.setSoTimeout(10_000);
      byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      var out = streamed.getOutputStream();
      out.write(("POST " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + ALICE
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // 1 KiB over the engine's 1 MiB (all of it read), and no end of the body: the answer cannot wait for it.
      for (int sent = 0; sent < 1024 * 1024; sent += chunk.length) {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write(("400\r\n" + "x".repeat(1024) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(new String(streamed.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .startsWith("HTTP/1.1 413").contains("\"payload_too_large\"");
    }
  }

  /**
   * A client that sends a too large body at once: it gets the 413, or, when the server closed the connection under its
   * upload (the refusal does not read the body on), an error of its own; never anything else.
   */
  private static void refusedAsTooLarge(java.util.function.Supplier<Answer> send) {
    Answer answer;
    try {
      answer = send.get();
    } catch (UncheckedIOException closedUnderTheUpload) {
      return;
    }
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.body().get("error").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void anAdminStillDeploysModelsLargerThanOtherBodies() {
    String admin = basic("admin", "test-admin-password");
    String model = """
        <?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="size-check-definitions" targetNamespace="x">
          <!-- %s -->
          <bpmn:process id="size-check" isExecutable="true" camunda:historyTimeToLive="1"
              xmlns:camunda="http://camunda.org/schema/1.0/bpmn"><bpmn:startEvent id="start"/></bpmn:process>
        </bpmn:definitions>
        """;
    Answer deployed = deploy(admin, model.formatted("a".repeat(2 * 1024 * 1024)));
    // The server does not read a refused body on: a client that sends 9 MB at once may see the connection closed under
    // its upload instead of the answer; nothing of it is deployed either way.
    Integer sentAtOnce = null;
    try {
      sentAtOnce = deploy(admin, model.formatted("b".repeat(9 * 1024 * 1024))).status();
    } catch (UncheckedIOException closedUnderTheUpload) {
      // Refused on its declared length, before the body was read.
    }

    assertThat(deployed.status()).as(deployed.raw().body()).isEqualTo(200);
    if (sentAtOnce != null) {
      assertThat(sentAtOnce).isEqualTo(413);
    }
    assertThat(client.get("/engine-rest/deployment?name=size%20check", admin).body()).hasSize(1);
    client.send(client.request("/engine-rest/deployment/" + deployed.body().get("id").asText() + "?cascade=true", admin)
        .DELETE().build());
  }

  @Test
  void aClientThatAsksBeforeSendingIsToldOfTheLimitBeforeItSendsTheBody() throws IOException {
    // curl and most HTTP libraries ask first for large bodies. The JDK 17 client waits forever when the answer to its
    // question is not "continue" (fixed in JDK 19), so the question is asked here as curl asks it.
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /engine-rest/deployment/create HTTP/1.1\r\nHost: localhost\r\n"
          + "Authorization: " + basic("admin", "test-admin-password") + "\r\n"
          + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + 9 * 1024 * 1024 + "\r\n"
          + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("HTTP/1.1 100").contains("\"payload_too_large\"");
    }
  }

  /** A deployment as Camunda Modeler sends it: multipart, the model as a file. */
  private Answer deploy(String authorization, String model) {
    String boundary = "greenlight-" + UUID.randomUUID();
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nsize check\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"size-check.bpmn\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + model + "\r\n--" + boundary + "--\r\n";
    return client.send(client.request("/engine-rest/deployment/create", authorization)
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private static void assertNoInternals(Answer answer) {
    assertThat(answer.raw().body()).as("answer %d", answer.status()).doesNotContainPattern(INTERNALS);
  }

  private String taskOf(String id) {
    runDueJobs();
    return client.get("/engine-rest/task?processInstanceId=" + id, ALICE).body().get(0).get("id").asText();
  }

  private String requestApproval() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    return askForApproval(workflowId);
  }
}
