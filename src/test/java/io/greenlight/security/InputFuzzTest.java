package io.greenlight.security;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.w3c.dom.Document;

/**
 * Throws malformed, oversized, wrongly typed and hostile input (script tags, SQL, template and JNDI strings, control
 * and bidirectional characters, broken UTF-16, deep nesting) at every public endpoint, with a fixed seed. For every
 * input: no 5xx, no stack trace in the answer, and a refusal (4xx) changes nothing, checked against the engine's
 * runtime and history and Greenlight's own tables. Every TwiML answer is well-formed XML with one message, however
 * hostile the SMS it answers. The figures go to {@code target/fuzz-report.txt}.
 */
class InputFuzzTest extends GreenlightApplicationTest {

  private static final long SEED = 5_402_021L;
  private static final int CASES = 1500;
  private static final String ALICE = basic("alice", "alice-password");
  private static final String ADMIN = basic("admin", "test-admin-password");
  private static final Pattern STACK_TRACE = Pattern.compile(
      "\\tat |\\bat (java|org|io|com)\\.[a-z]|Caused by:|java\\.lang\\.[A-Z]|org\\.springframework\\.|org\\.camunda\\.bpm\\.engine\\.impl"
          + "|com\\.fasterxml|cannot be cast|ClassCastException|class loader");
  private static final List<String> HOSTILE = List.of(
      "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE ACT_RU_TASK; --", "' OR '1'='1",
      "../../../../etc/passwd", "${jndi:ldap://127.0.0.1/x}", "#{7*7}", "{{7*7}}", "%s%s%s%n", "\u0000", "a\u0000b",
      "main\u202Eevil", "\u2066hidden\u2069", "\uD800", "😀🚀", "Z̷̢̛a̵l̴g̶o̵", "مرحبا", "\r\nX-Injected: yes", "\\", "\"",
      "APPROVE 0000 <script>", "null", "true", "-1", "1e309", " ", "");

  @Autowired
  private HistoryService history;
  @Autowired
  private RuntimeService runtime;
  @Autowired
  private TaskService tasks;
  @Autowired
  private JdbcTemplate jdbc;

  private final ObjectMapper json = new ObjectMapper();
  private final Random random = new Random(SEED);
  private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
  private int twimlChecked;

  /** One fuzzed call: which endpoint, and how to make it. */
  private record Case(String endpoint, Supplier<Answer> call) {}

  @Test
  void noInputMakesAServerErrorShowsAStackTraceOrChangesAnythingWhenRefused() throws Exception {
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pending.add(pendingRequest());
    }
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      Case fuzzed = nextCase(pending);
      Map<String, Long> before = state();
      Answer answer = fuzzed.call().get();
      statuses.computeIfAbsent(fuzzed.endpoint(), e -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
      String body = answer.raw().body();
      String what = "#" + i + " " + fuzzed.endpoint() + " -> " + answer.status() + ": " + abbreviate(body);
      if (answer.status() >= 500) {
        failures.add("server error " + what);
      }
      if (STACK_TRACE.matcher(body).find()) {
        failures.add("stack trace " + what);
      }
      if (answer.status() >= 400 && !state().equals(before)) {
        failures.add("refused but changed " + what + " " + before + " -> " + state());
      }
      if (fuzzed.endpoint().equals("POST /twilio/sms") && answer.status() == 200) {
        checkTwiml(body, what, failures);
      }
    }
    report();
    assertThat(failures).isEmpty();
  }

  private Case nextCase(List<String> pending) {
    String id = pending.get(random.nextInt(pending.size()));
    return switch (random.nextInt(13)) {
      case 11, 12 -> new Case("POST /engine-rest/task/{id}/complete", () -> client.postJson(
          "/engine-rest/task/" + decisionTaskOf(id) + "/complete", ALICE, fuzzJson(engineAnswer())));
      case 0, 1 -> new Case("POST /api/approvals", () -> client.postJson("/api/approvals", bearer(ACME_KEY), fuzzJson(intake())));
      case 2 -> new Case("POST /api/inbound/xmatters", () -> client.postJson("/api/inbound/xmatters?apiKey=" + ACME_KEY, null, fuzzJson(xmatters())));
      case 3, 4 -> new Case("POST /api/approvals/{id}/decision", () -> client.postJson(
          "/api/approvals/" + (random.nextInt(4) == 0 ? encode(fuzzString()) : id) + "/decision", ALICE, fuzzJson(decision())));
      case 5 -> new Case("GET /api/approvals/{id}", () -> client.get("/api/approvals/" + encode(fuzzString()), bearer(ACME_KEY)));
      case 6 -> new Case("GET /api/approvals?…", () -> client.get("/api/approvals?" + fuzzQuery("status", "project_slug", "limit"), ALICE));
      case 7 -> new Case("GET /api/oncall/{group}", () -> client.get("/api/oncall/" + encode(fuzzString()), ALICE));
      case 8, 9 -> new Case("POST /twilio/sms", () -> signed("/twilio/sms", fuzzForm(smsReply())));
      default -> random.nextBoolean()
          ? new Case("POST /twilio/status", () -> signed("/twilio/status?" + fuzzQuery("request", "user"), fuzzForm(statusReport())))
          : new Case("other methods and paths", this::strangeRequest);
    };
  }

  // --- valid inputs, to be broken ---

  private ObjectNode intake() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("project_slug", "gh/acme/shop").put("workflow_id", UUID.randomUUID().toString()).put("approval_job", "hold")
        .put("requested_by", "octocat").put("branch", "main").put("commit", "abc1234").put("summary", "Release 2.4")
        .put("build_url", "https://app.circleci.com/pipelines/github/acme/shop/1").put("approver_group", "approvers");
    return body;
  }

  private ObjectNode xmatters() {
    ObjectNode properties = JsonNodeFactory.instance.objectNode();
    String workflowId = UUID.randomUUID().toString();
    properties.put("author", "octocat").put("workflow_id", workflowId).put("branch", "main").put("commit", "abc1234")
        .put("build_url", "https://app.circleci.com/pipelines/github/acme/shop/1/workflows/" + workflowId).put("recipients", "approvers");
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("properties", properties);
    return body;
  }

  private ObjectNode decision() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("decision", random.nextBoolean() ? "approve" : "reject").put("comment", "looks fine");
    return body;
  }

  /** An answer as Tasklist and /engine-rest take it: typed variables, of any type a client may name. */
  private ObjectNode engineAnswer() {
    ObjectNode variables = JsonNodeFactory.instance.objectNode();
    for (String name : List.of("decision", "comment", random.nextBoolean() ? "projectSlug" : "requestedBy")) {
      ObjectNode variable = variables.putObject(name);
      String type = List.of("String", "Object", "Json", "Xml", "Integer", "Boolean", "Bytes", "File", "Date", "Null", "Nonsense")
          .get(random.nextInt(11));
      if (random.nextInt(3) > 0) {
        variable.put("type", type);
      }
      variable.put("value", name.equals("decision") ? (random.nextBoolean() ? "approve" : "reject") : "\"/etc/passwd\"");
      if (type.equals("Object") || random.nextInt(5) == 0) {
        variable.putObject("valueInfo").put("objectTypeName", List.of("org.springframework.core.io.FileSystemResource",
                "java.net.URL", "java.util.HashMap", "java.lang.String", "javax.naming.InitialContext").get(random.nextInt(5)))
            .put("serializationDataFormat", random.nextBoolean() ? "application/json" : "application/x-java-serialized-object");
      }
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("variables", variables);
    return body;
  }

  /** The open decision task of a request, or a made-up id once it has ended. */
  private String decisionTaskOf(String requestId) {
    org.camunda.bpm.engine.task.Task task = tasks.createTaskQuery().processInstanceId(requestId).singleResult();
    return task == null ? UUID.randomUUID().toString() : task.getId();
  }

  private Map<String, String> smsReply() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("From", random.nextBoolean() ? "+15551230001" : "+15551230002");
    form.put("Body", "APPROVE " + String.format("%04d", random.nextInt(10_000)));
    form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    return form;
  }

  private Map<String, String> statusReport() {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    form.put("MessageStatus", "delivered");
    form.put("ErrorCode", "30003");
    return form;
  }

  // --- ways to break them ---

  private String fuzzJson(ObjectNode valid) {
    switch (random.nextInt(10)) {
      case 0:
        return structurallyBroken(valid.toString());
      case 1:
        return random.nextBoolean() ? "[" + valid + "]" : json(fuzzString());
      case 2:
        return "[".repeat(20_000) + "]".repeat(20_000);
      default:
        ObjectNode body = valid.deepCopy();
        ObjectNode target = body.has("properties") ? (ObjectNode) body.get("properties") : body;
        List<String> fields = new ArrayList<>();
        target.fieldNames().forEachRemaining(fields::add);
        String field = fields.get(random.nextInt(fields.size()));
        switch (random.nextInt(5)) {
          case 0 -> target.remove(field);
          case 1 -> target.set(field, wrongType());
          default -> target.put(field, fuzzString());
        }
        return body.toString();
    }
  }

  private String structurallyBroken(String valid) {
    return switch (random.nextInt(5)) {
      case 0 -> valid.substring(0, random.nextInt(valid.length()));
      case 1 -> valid + "}}garbage";
      case 2 -> valid.replace(":", "::");
      case 3 -> "";
      default -> valid.replace("\"", "'");
    };
  }

  private JsonNode wrongType() {
    return switch (random.nextInt(6)) {
      case 0 -> JsonNodeFactory.instance.numberNode(random.nextLong());
      case 1 -> JsonNodeFactory.instance.booleanNode(true);
      case 2 -> JsonNodeFactory.instance.arrayNode().add("a").add(1);
      case 3 -> JsonNodeFactory.instance.objectNode().put("$gt", "");
      case 4 -> JsonNodeFactory.instance.nullNode();
      default -> JsonNodeFactory.instance.numberNode(new java.math.BigDecimal("1e400"));
    };
  }

  private String fuzzString() {
    return switch (random.nextInt(6)) {
      case 0 -> "x".repeat(1 + random.nextInt(70_000));
      case 1 -> HOSTILE.get(random.nextInt(HOSTILE.size())).repeat(1 + random.nextInt(3));
      case 2 -> randomCharacters(1 + random.nextInt(300));
      case 3 -> "main " + HOSTILE.get(random.nextInt(HOSTILE.size()));
      default -> HOSTILE.get(random.nextInt(HOSTILE.size()));
    };
  }

  private String randomCharacters(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) random.nextInt(random.nextBoolean() ? 0x80 : 0x10000));
    }
    return text.toString();
  }

  private Map<String, String> fuzzForm(Map<String, String> valid) {
    Map<String, String> form = new LinkedHashMap<>(valid);
    List<String> fields = new ArrayList<>(form.keySet());
    String field = fields.get(random.nextInt(fields.size()));
    switch (random.nextInt(4)) {
      case 0 -> form.remove(field);
      default -> form.put(field, fuzzString());
    }
    return form;
  }

  private String fuzzQuery(String... names) {
    StringBuilder query = new StringBuilder();
    for (String name : names) {
      if (random.nextBoolean()) {
        query.append(query.isEmpty() ? "" : "&").append(name).append('=').append(encode(fuzzString()));
      }
    }
    return query.toString();
  }

  private Answer signed(String pathAndQuery, Map<String, String> form) {
    return client.postTwilio(pathAndQuery, form, FakeTwilio.sign(PUBLIC_URL + pathAndQuery, form));
  }

  private Answer strangeRequest() {
    String[] paths = {"/api/approvals", "/api/approvals/" + UUID.randomUUID(), "/api/admin/directory/reload",
        "/api/approvals/%2e%2e%2fadmin", "/api/approvals/..;/admin", "/api/%00", "/twilio/sms", "/api/approvals/" + UUID.randomUUID() + "/decision"};
    String path = paths[random.nextInt(paths.length)];
    String[] methods = {"PUT", "DELETE", "PATCH", "OPTIONS", "POST"};
    String method = methods[random.nextInt(methods.length)];
    String[] types = {"application/json", "text/plain", "application/xml", "multipart/form-data; boundary=x"};
    return client.send(client.request(path, random.nextBoolean() ? ADMIN : bearer(ACME_KEY))
        .header("Content-Type", types[random.nextInt(types.length)])
        .method(method, HttpRequest.BodyPublishers.ofString(fuzzString())).build());
  }

  // --- what is checked ---

  /** Everything a request could change, counted. */
  private Map<String, Long> state() {
    Map<String, Long> counts = new TreeMap<>();
    counts.put("process instances", history.createHistoricProcessInstanceQuery().count());
    counts.put("variable values", history.createHistoricDetailQuery().count());
    counts.put("activity instances", history.createHistoricActivityInstanceQuery().count());
    counts.put("tasks", tasks.createTaskQuery().count());
    counts.put("executions", runtime.createExecutionQuery().count());
    for (String table : List.of("greenlight_approval_code", "greenlight_inbound_sms", "greenlight_circleci_attempt", "greenlight_circleci_token")) {
      counts.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
    }
    return counts;
  }

  private void checkTwiml(String body, String what, List<String> failures) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document twiml = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
      if (twiml.getElementsByTagName("Message").getLength() != 1 || twiml.getElementsByTagName("Body").getLength() != 1
          || twiml.getDocumentElement().getChildNodes().getLength() != 1) {
        failures.add("TwiML not one message " + what);
      }
      twimlChecked++;
    } catch (Exception e) {
      failures.add("TwiML not well-formed (" + e.getMessage() + ") " + what);
    }
  }

  private String pendingRequest() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    String id = client.postJson("/api/approvals", bearer(ACME_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
        """.formatted(workflowId)).body().get("id").asText();
    runDueJobs();
    return id;
  }

  private void report() throws Exception {
    StringBuilder text = new StringBuilder("Input fuzzing (InputFuzzTest), seed " + SEED + ", " + CASES + " inputs\n");
    statuses.forEach((endpoint, counts) -> text.append(endpoint).append(": ").append(counts).append('\n'));
    text.append("TwiML answers parsed as one well-formed message: ").append(twimlChecked).append('\n');
    Files.writeString(Path.of("target", "fuzz-report.txt"), text);
    System.out.print(text);
  }

  private String json(String text) {
    try {
      return json.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
