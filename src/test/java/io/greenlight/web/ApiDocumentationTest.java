package io.greenlight.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The OpenAPI document is generated from the controllers; these tests keep it, the committed docs/openapi.json, the
 * examples of docs/api.md and the contract's operations in step. When a controller changes, the first test fails until
 * docs/openapi.json is updated (it writes the new document to target/openapi.json to copy from).
 */
class ApiDocumentationTest extends GreenlightApplicationTest {

  static final Path COMMITTED = Path.of("docs", "openapi.json");
  static final Path GENERATED = Path.of("target", "openapi.json");
  /** docs/api.md: the operations users' scripts call, with the query parameters it names. */
  static final Map<String, Set<String>> CONTRACT = Map.ofEntries(
      Map.entry("post /api/approvals", Set.of()),
      Map.entry("post /api/inbound/xmatters", Set.of("apiKey")),
      Map.entry("get /api/approvals/{id}", Set.of()),
      Map.entry("get /api/approvals", Set.of("status", "project_slug", "limit", "decided_by", "from", "to")),
      Map.entry("get /api/approvals/{id}/audit.csv", Set.of("format")),
      Map.entry("post /api/approvals/{id}/decision", Set.of()),
      Map.entry("post /api/freezes", Set.of()),
      Map.entry("get /api/freezes", Set.of()),
      Map.entry("delete /api/freezes/{id}", Set.of()),
      Map.entry("post /twilio/sms", Set.of()),
      Map.entry("post /twilio/status", Set.of()),
      Map.entry("post /slack/interactivity", Set.of()));

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @LocalServerPort
  int port;
  private JsonNode document;

  @BeforeEach
  void readTheDocument() throws Exception {
    GreenlightTestClient.Answer answer = new GreenlightTestClient(port).get("/v3/api-docs", null);
    assertThat(answer.status()).isEqualTo(200);
    document = answer.body();
    Files.createDirectories(GENERATED.getParent());
    Files.writeString(GENERATED, JSON.writeValueAsString(JSON.treeToValue(document, Object.class)) + "\n");
  }

  @Test
  void theCommittedDocumentIsWhatTheControllersGenerate() throws Exception {
    JsonNode committed = JSON.readTree(COMMITTED.toFile());
    if (!committed.equals(document)) {
      fail("The API the controllers serve differs from docs/openapi.json: review target/openapi.json and copy it over "
          + "(cp target/openapi.json docs/openapi.json). Paths now: " + new TreeSet<>(names(document.get("paths")))
          + ", committed: " + new TreeSet<>(names(committed.get("paths"))));
    }
  }

  @Test
  void everyOperationOfTheContractIsDocumentedWithItsParameters() {
    CONTRACT.forEach((operation, parameters) -> {
      String[] methodAndPath = operation.split(" ");
      JsonNode documented = document.at("/paths/" + methodAndPath[1].replace("/", "~1") + "/" + methodAndPath[0]);
      assertThat(documented.isMissingNode()).as(operation + " is documented").isFalse();
      assertThat(documented.get("summary")).as(operation + " says what it does").isNotNull();
      List<String> documentedParameters = documented.path("parameters").findValuesAsText("name");
      assertThat(documentedParameters).as(operation + "'s parameters").containsAll(parameters);
      assertThat(documented.get("security")).as(operation + " says who may call it").isNotNull();
    });
  }

  @Test
  void everyExampleFitsTheSchemaOfItsOperation() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (JsonNode pathItem : document.get("paths")) {
      for (JsonNode operation : pathItem) {
        String id = operation.path("operationId").asText();
        for (JsonNode media : operation.path("requestBody").path("content")) {
          if (media.has("example")) {
            checkExample(id + " request", media.get("example"), media.get("schema"), problems);
            checked++;
          }
        }
        Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields();
        while (responses.hasNext()) {
          Map.Entry<String, JsonNode> response = responses.next();
          for (JsonNode media : response.getValue().path("content")) {
            for (JsonNode example : media.path("examples")) {
              checkExample(id + " " + response.getKey(), example.get("value"), media.get("schema"), problems);
              checked++;
            }
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).as("examples checked (each of docs/api.md's)").isGreaterThanOrEqualTo(12);
  }

  @Test
  void everyExampleBelongsToAnOperation() {
    Set<String> operations = new TreeSet<>(document.get("paths").findValuesAsText("operationId"));
    assertThat(operations).containsAll(ApiDocumentation.readExamples(new ObjectMapper()).keySet());
  }

  /** The example's fields are the schema's (no unknown, none required missing), with the schema's types, all the way down. */
  private void checkExample(String where, JsonNode example, JsonNode schema, List<String> problems) {
    schema = resolve(schema);
    if (schema == null || example == null || example.isNull()) {
      return;
    }
    String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
    switch (type) {
      case "object" -> {
        if (!example.isObject()) {
          problems.add(where + ": an object was expected, not " + example);
          return;
        }
        JsonNode properties = schema.path("properties");
        for (String field : names(example)) {
          if (!properties.has(field)) {
            problems.add(where + ": '" + field + "' is no field of the answer");
          } else {
            checkExample(where + "." + field, example.get(field), properties.get(field), problems);
          }
        }
        for (JsonNode required : schema.path("required")) {
          if (!example.has(required.asText())) {
            problems.add(where + ": required '" + required.asText() + "' is missing");
          }
        }
      }
      case "array" -> {
        if (!example.isArray()) {
          problems.add(where + ": an array was expected, not " + example);
          return;
        }
        for (int i = 0; i < example.size(); i++) {
          checkExample(where + "[" + i + "]", example.get(i), schema.get("items"), problems);
        }
      }
      case "string" -> {
        if (!example.isTextual()) {
          problems.add(where + ": a string was expected, not " + example);
        } else if (schema.has("enum")) {
          List<String> allowed = new ArrayList<>();
          schema.get("enum").forEach(value -> allowed.add(value.asText()));
          if (!allowed.contains(example.asText())) {
            problems.add(where + ": '" + example.asText() + "' is none of " + allowed);
          }
        }
      }
      case "integer" -> {
        if (!example.isIntegralNumber()) {
          problems.add(where + ": an integer was expected, not " + example);
        }
      }
      case "boolean" -> {
        if (!example.isBoolean()) {
          problems.add(where + ": true or false was expected, not " + example);
        }
      }
      default -> {
        // numbers and free-form values: nothing to hold them to
      }
    }
  }

  private JsonNode resolve(JsonNode schema) {
    while (schema != null && schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      schema = document.at(ref.substring(1));
      if (schema.isMissingNode()) {
        return null;
      }
    }
    return schema;
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node != null) {
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }
}
