package io.greenlight.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fakes the tests talk to stay within the published contracts (src/test/resources/contracts): every operation a
 * fake serves is one of the contract's, with the same method, the fields Greenlight reads are in the contract's
 * schemas, and the fake really routes each operation it claims.
 */
class ContractsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theFakeCircleCiServesOnlyOperationsOfCircleCisContract() throws Exception {
    JsonNode contract = contract("circleci-openapi.json");
    assertInContract(contract, FakeCircleCi.OPERATIONS);
    JsonNode job = resolve(contract, contract.at("/paths/~1workflow~1{id}~1job/get/responses/200/content/application~1json/schema"));
    assertThat(job.path("properties").has("items")).isTrue();
    assertThat(job.path("properties").has("next_page_token")).isTrue();
    JsonNode item = resolve(contract, job.at("/properties/items/items"));
    assertThat(item.path("properties").fieldNames()).toIterable()
        .contains("id", "name", "type", "status", "approval_request_id");
    assertThat(contract.at("/paths/~1workflow~1{id}~1approve~1{approval_request_id}/post/responses").has("202")).isTrue();
    assertThat(contract.at("/paths/~1workflow~1{id}~1cancel/post/responses").has("202")).isTrue();

    try (FakeCircleCi circleCi = new FakeCircleCi()) {
      for (String operation : FakeCircleCi.OPERATIONS) {
        HttpResponse<String> answer = call(circleCi.baseUrl(), operation, "Circle-Token", FakeCircleCi.TOKEN);
        assertThat(answer.body()).as(operation).doesNotContain("\"Not found.\"");
      }
    }
  }

  @Test
  void theFakeTwilioServesOnlyOperationsOfTwiliosContract() throws Exception {
    JsonNode contract = contract("twilio-api-v2010-messages.json");
    JsonNode calls = contract("twilio-api-v2010-calls.json");
    assertInContract(contract, FakeTwilio.OPERATIONS.subList(0, 1));
    assertInContract(calls, FakeTwilio.OPERATIONS.subList(1, 2));
    JsonNode createCall = calls.at("/paths/~12010-04-01~1Accounts~1{AccountSid}~1Calls.json/post");
    assertThat(createCall.path("responses").has("201")).isTrue();
    assertThat(createCall.at("/requestBody/content/application~1x-www-form-urlencoded/schema/properties").fieldNames())
        .toIterable().contains("To", "From", "Twiml", "StatusCallback", "StatusCallbackEvent", "Timeout");
    assertThat(calls.at("/components/schemas/api.v2010.account.call/properties").fieldNames()).toIterable()
        .contains("sid", "status", "to", "from");
    JsonNode create = contract.at("/paths/~12010-04-01~1Accounts~1{AccountSid}~1Messages.json/post");
    assertThat(create.path("responses").has("201")).isTrue();
    JsonNode form = create.at("/requestBody/content/application~1x-www-form-urlencoded/schema/properties");
    assertThat(form.fieldNames()).toIterable().contains("To", "From", "Body", "StatusCallback");

    try (FakeTwilio twilio = new FakeTwilio()) {
      for (String operation : FakeTwilio.OPERATIONS) {
        HttpResponse<String> answer = call(twilio.baseUrl(), operation, "Authorization", "Basic none");
        assertThat(answer.statusCode()).as("a route the fake serves answers its own refusal, not a route miss: " + operation)
            .isEqualTo(401);
      }
    }
  }

  @Test
  void theFakeSlackServesOnlyMethodsOfSlacksContract() throws Exception {
    JsonNode contract = contract("slack-web-api.json");
    assertInContract(contract, FakeSlack.OPERATIONS);
    JsonNode post = contract.at("/paths/~1chat.postMessage/post");
    assertThat(post.path("parameters").findValuesAsText("name")).contains("channel", "text", "blocks", "unfurl_links");
    assertThat(post.at("/responses/200/schema/properties").fieldNames()).toIterable().contains("ok", "channel", "ts");
    assertThat(contract.at("/paths/~1chat.update/post/parameters").findValuesAsText("name")).contains("channel", "ts", "text", "blocks");
    assertThat(contract.at("/paths/~1views.open/get/parameters").findValuesAsText("name")).contains("trigger_id", "view");

    try (FakeSlack slack = new FakeSlack()) {
      for (String operation : FakeSlack.OPERATIONS) {
        HttpResponse<String> answer = call(slack.baseUrl(), operation, "Authorization", "Bearer none");
        assertThat(answer.body()).as(operation).contains("\"error\":\"invalid_auth\"");
      }
    }
  }

  @Test
  void theFakeGitHubServesOnlyOperationsOfGitHubsContract() throws Exception {
    JsonNode contract = contract("github-deployment-protection-rules.json");
    assertInContract(contract, FakeGitHub.OPERATIONS);
    JsonNode review = contract.at("/paths/~1repos~1{owner}~1{repo}~1actions~1runs~1{run_id}~1deployment_protection_rule/post");
    assertThat(review.path("responses").has("204")).isTrue();
    JsonNode stateRequired = contract.at("/components/schemas/review-custom-gates-state-required");
    assertThat(stateRequired.path("properties").fieldNames()).toIterable().contains("environment_name", "state", "comment");
    assertThat(stateRequired.at("/properties/state/enum").toString()).contains("approved", "rejected");
    JsonNode tokens = contract.at("/paths/~1app~1installations~1{installation_id}~1access_tokens/post");
    assertThat(tokens.path("responses").has("201")).isTrue();
    JsonNode webhook = contract.at("/components/schemas/webhook-deployment-protection-rule-requested/properties");
    assertThat(webhook.fieldNames()).toIterable().contains("action", "environment", "event", "sha", "ref",
        "deployment_callback_url", "deployment", "repository", "installation", "sender");

    try (FakeGitHub github = new FakeGitHub()) {
      for (String operation : FakeGitHub.OPERATIONS) {
        String path = operation.split(" ", 2)[1].replace("{installation_id}", "7001").replace("{owner}", "acme")
            .replace("{repo}", "shop").replace("{run_id}", "42");
        HttpRequest request = HttpRequest.newBuilder(URI.create(github.baseUrl() + path)).header("Authorization", "Bearer none")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("a route the fake serves answers its own refusal, not a route miss: " + operation)
            .isEqualTo(401);
      }
    }
  }

  @Test
  void theFakeGitHubComparesAndFindsInstallationsAsGitHubsContractSays() throws Exception {
    JsonNode contract = contract("github-compare-and-installation.json");
    assertInContract(contract, FakeGitHub.CHANGE_OPERATIONS);
    JsonNode compare = contract.at("/paths/~1repos~1{owner}~1{repo}~1compare~1{basehead}/get");
    assertThat(compare.path("parameters").findValuesAsText("$ref")).contains("#/components/parameters/page",
        "#/components/parameters/per-page");
    assertThat(compare.path("responses").has("404")).isTrue();
    assertThat(contract.at("/components/schemas/commit-comparison/properties").fieldNames()).toIterable()
        .contains("html_url", "total_commits", "commits");
    JsonNode commit = contract.at("/components/schemas/commit/properties");
    assertThat(commit.fieldNames()).toIterable().contains("sha", "commit", "author", "committer");
    assertThat(commit.at("/commit/properties").fieldNames()).toIterable().contains("author", "message");
    assertThat(contract.at("/components/schemas/simple-user/properties").has("login")).isTrue();
    JsonNode installation = contract.at("/paths/~1repos~1{owner}~1{repo}~1installation/get/responses");
    assertThat(installation.has("200")).isTrue();
    assertThat(installation.has("404")).isTrue();
    assertThat(contract.at("/components/schemas/installation/properties").has("id")).isTrue();

    try (FakeGitHub github = new FakeGitHub()) {
      for (String operation : FakeGitHub.CHANGE_OPERATIONS) {
        String path = operation.split(" ", 2)[1].replace("{owner}", "acme").replace("{repo}", "shop")
            .replace("{basehead}", "abc1234...def5678");
        HttpRequest request = HttpRequest.newBuilder(URI.create(github.baseUrl() + path)).header("Authorization", "Bearer none")
            .GET().build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("a route the fake serves answers its own refusal, not a route miss: " + operation)
            .isEqualTo(401);
      }
    }
  }

  /** GitLab's contract is prose (contracts/gitlab-deployments.md): its operations are named there as {@code `GET /projects/…`}. */
  @Test
  void theFakeGitLabServesOnlyOperationsOfGitLabsContract() throws Exception {
    String contract;
    try (InputStream in = ContractsTest.class.getResourceAsStream("/contracts/gitlab-deployments.md")) {
      assertThat(in).isNotNull();
      contract = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (String operation : FakeGitLab.OPERATIONS) {
      assertThat(contract).as("%s is an operation of the contract", operation).contains("`" + operation + "`");
    }
    // What Greenlight reads of GitLab's answers and sends it, as the contract spells it.
    assertThat(contract).contains("\"deployable\"", "\"pipeline\": {\"id\"", "\"username\"", "\"approvals\"", "X-Next-Page",
        "`status`", "`comment`", "PRIVATE-TOKEN", "Retry-After", "not waiting for approvals", "Unplayable Job");

    try (FakeGitLab gitlab = new FakeGitLab()) {
      for (String operation : FakeGitLab.OPERATIONS) {
        String[] methodAndPath = operation.split(" ", 2);
        String path = "/api/v4" + methodAndPath[1].replace(":id", "acme%2Fshop").replaceAll(":[a-z_]+", "42");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gitlab.baseUrl() + path))
            .method(methodAndPath[0], HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> withoutToken = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withoutToken.statusCode()).as("the token is asked for, as GitLab does: " + operation).isEqualTo(401);
        assertThat(withoutToken.body()).isEqualTo("{\"message\":\"401 Unauthorized\"}");
        HttpResponse<String> withToken = http.send(request.header("PRIVATE-TOKEN", FakeGitLab.TOKEN).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.body()).as("a route the fake serves (its answer, not a route miss): " + operation)
            .doesNotContain("\"error\":\"404 Not Found\"");
      }
      HttpResponse<String> miss = http.send(HttpRequest.newBuilder(URI.create(gitlab.baseUrl()
          + "/api/v4/projects/acme%2Fshop/environments")).header("PRIVATE-TOKEN", FakeGitLab.TOKEN).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(miss.body()).as("a route it does not serve").isEqualTo("{\"error\":\"404 Not Found\"}");
    }
  }

  private static void assertInContract(JsonNode contract, List<String> operations) {
    for (String operation : operations) {
      String[] methodAndPath = operation.split(" ", 2);
      assertThat(contract.path("paths").path(methodAndPath[1]).has(methodAndPath[0].toLowerCase()))
          .as("%s is an operation of the contract", operation).isTrue();
    }
  }

  private HttpResponse<String> call(String baseUrl, String operation, String header, String value) throws Exception {
    String[] methodAndPath = operation.split(" ", 2);
    String path = methodAndPath[1].replaceAll("\\{[^}]+}", "AC" + "0".repeat(32));
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header(header, value)
        .method(methodAndPath[0], HttpRequest.BodyPublishers.noBody()).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode resolve(JsonNode contract, JsonNode schema) {
    String ref = schema.path("$ref").asText(null);
    return ref == null ? schema : contract.at(ref.substring(1));
  }

  private static JsonNode contract(String file) throws IOException {
    try (InputStream in = ContractsTest.class.getResourceAsStream("/contracts/" + file)) {
      assertThat(in).as(file).isNotNull();
      return JSON.readTree(in);
    }
  }
}
