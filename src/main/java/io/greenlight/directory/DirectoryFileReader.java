package io.greenlight.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.greenlight.web.Formats;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and checks the directory file: YAML, {@code ${NAME}} taken from the environment, every
 * reference resolved. Every problem names the file and the place in it.
 */
public class DirectoryFileReader {

  static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{6,14}$");
  private static final Pattern ID = Pattern.compile(Formats.DIRECTORY_ID);
  /** Slack member ids: U… (or W… in Enterprise Grid), upper-case letters and digits. */
  private static final Pattern SLACK_MEMBER_ID = Pattern.compile("^[UW][A-Z0-9]{2,20}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final Pattern ENVIRONMENT_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
  /** CircleCI tokens: printable ASCII without spaces. Never echoed in a message. */
  private static final Pattern CIRCLECI_TOKEN = Pattern.compile("^[\\x21-\\x7e]{8,512}$");
  private static final int SHORTEST_API_KEY = 16;
  /** Keys whose values are secrets: they belong in the environment, not in the file. */
  private static final Set<String> SECRET_KEYS = Set.of("password", "circleci-token", "key");
  private static final Logger log = LoggerFactory.getLogger(DirectoryFileReader.class);

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
      .registerModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final Function<String, String> environment;

  public DirectoryFileReader(Function<String, String> environment) {
    this.environment = environment;
  }

  public DirectoryFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DirectoryException("Directory file " + file.toAbsolutePath()
          + " does not exist: write one (see docs/directory.md) or point greenlight.directory-file at it");
    }
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new DirectoryException("Cannot read directory file " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  public DirectoryFile parse(String text, String source) {
    JsonNode tree;
    try {
      tree = yaml.readTree(text);
    } catch (JsonProcessingException e) {
      throw new DirectoryException("Directory file " + source + " is not valid YAML: " + e.getOriginalMessage());
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return new DirectoryFile(List.of(), List.of(), List.of());
    }
    JsonNode resolved = resolveEnvironment(tree, "", source);
    DirectoryFile directory;
    try {
      directory = yaml.treeToValue(resolved, DirectoryFile.class);
    } catch (UnrecognizedPropertyException e) {
      throw new DirectoryException("Directory file " + source + ": unknown key '" + e.getPropertyName() + "' at "
          + e.getPathReference().replaceAll("io\\.greenlight\\.directory\\.DirectoryFile(\\$\\w+)?", ""));
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      // A value of the wrong kind (voice: sometimes): say where, as for every other mistake.
      throw new DirectoryException("Directory file " + source + ": " + place(e) + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new DirectoryException("Directory file " + source + ": " + e.getOriginalMessage());
    }
    check(directory, source);
    return directory;
  }

  /** {@code users[0].voice: }, as the file's own names say it. */
  private static String place(com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
    StringBuilder place = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference step : e.getPath()) {
      if (step.getFieldName() != null) {
        place.append(place.isEmpty() ? "" : ".").append(step.getFieldName());
      } else if (step.getIndex() >= 0) {
        place.append('[').append(step.getIndex()).append(']');
      }
    }
    return place.isEmpty() ? "" : place + ": ";
  }

  private JsonNode resolveEnvironment(JsonNode node, String path, String source) {
    if (node.isTextual()) {
      String key = path.substring(path.lastIndexOf('.') + 1);
      if (SECRET_KEYS.contains(key) && !node.asText().isEmpty() && !ENVIRONMENT_REFERENCE.matcher(node.asText()).find()) {
        log.warn("Directory file {}: {} is written in the file; give it as ${NAME} from the environment instead", source, path);
      }
      Matcher matcher = ENVIRONMENT_REFERENCE.matcher(node.asText());
      StringBuilder value = new StringBuilder();
      while (matcher.find()) {
        String name = matcher.group(1);
        String fromEnvironment = environment.apply(name);
        if (fromEnvironment == null) {
          throw new DirectoryException("Directory file " + source + ": environment variable " + name
              + " is not set (used at " + path + ")");
        }
        matcher.appendReplacement(value, Matcher.quoteReplacement(fromEnvironment));
      }
      matcher.appendTail(value);
      return TextNode.valueOf(value.toString());
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, resolveEnvironment(array.get(i), path + "[" + i + "]", source));
      }
    } else if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(resolveEnvironment(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), source));
      }
    }
    return node;
  }

  private void check(DirectoryFile directory, String source) {
    Problems problems = new Problems(source);
    Set<String> groupIds = new HashSet<>();
    for (int i = 0; i < directory.groups().size(); i++) {
      DirectoryFile.Group group = directory.groups().get(i);
      String at = "groups[" + i + "]";
      if (problems.requireId(group.id(), at + ".id") && !groupIds.add(group.id())) {
        problems.add(at + ".id", "group '" + group.id() + "' is listed twice");
      }
    }
    Set<String> userIds = new HashSet<>();
    Map<String, String> phones = new HashMap<>();
    Map<String, String> slackIds = new HashMap<>();
    for (int i = 0; i < directory.users().size(); i++) {
      DirectoryFile.User user = directory.users().get(i);
      String at = "users[" + i + "]";
      if (problems.requireId(user.id(), at + ".id") && !userIds.add(user.id())) {
        problems.add(at + ".id", "user '" + user.id() + "' is listed twice");
      }
      if (user.email() != null && !EMAIL.matcher(user.email()).matches()) {
        problems.add(at + ".email", "'" + user.email() + "' is not an e-mail address");
      }
      if (user.phone() != null) {
        if (!E164.matcher(user.phone()).matches()) {
          problems.add(at + ".phone", "'" + user.phone() + "' is not an E.164 number such as +15551230001");
        } else if (phones.putIfAbsent(user.phone(), user.id()) != null) {
          problems.add(at + ".phone", "the number is also " + phones.get(user.phone()) + "'s; SMS replies could not tell them apart");
        }
      }
      if (user.slack() != null) {
        if (!SLACK_MEMBER_ID.matcher(user.slack()).matches()) {
          problems.add(at + ".slack", "'" + user.slack() + "' is not a Slack member id such as U023BECGF (their profile, "
              + "\"Copy member ID\")");
        } else if (slackIds.putIfAbsent(user.slack(), user.id()) != null) {
          problems.add(at + ".slack", "the member id is also " + slackIds.get(user.slack()) + "'s; a click could not tell them apart");
        }
      }
      if (user.voice() && user.phone() == null) {
        problems.add(at + ".voice", "a phone call needs a phone number: add phone, or leave voice out");
      }
      if (user.circleciToken() != null && !CIRCLECI_TOKEN.matcher(user.circleciToken()).matches()) {
        problems.add(at + ".circleci-token", "a CircleCI token is 8 to 512 printable characters without spaces");
      }
      for (String groupId : user.groups()) {
        if (!groupIds.contains(groupId)) {
          problems.add(at + ".groups", "group '" + groupId + "' is not in groups");
        }
      }
    }
    for (int i = 0; i < directory.groups().size(); i++) {
      DirectoryFile.Group group = directory.groups().get(i);
      if (group.escalateTo() != null && !groupIds.contains(group.escalateTo())) {
        problems.add("groups[" + i + "].escalate-to", "group '" + group.escalateTo() + "' is not in groups");
      }
      if (group.onCall() != null) {
        DirectoryFile.OnCall onCall = group.onCall();
        String at = "groups[" + i + "].on-call";
        if (onCall.rotation() == null || onCall.rotation().isNegative() || onCall.rotation().isZero()) {
          problems.add(at + ".rotation", "a positive ISO-8601 duration such as P7D is needed");
        }
        if (onCall.start() == null) {
          problems.add(at + ".start", "the start of the first shift is needed, such as 2026-01-05T09:00:00Z");
        }
        if (onCall.members() == null || onCall.members().isEmpty()) {
          problems.add(at + ".members", "at least one member is needed");
        } else {
          for (String member : onCall.members()) {
            boolean isMember = directory.users().stream()
                .anyMatch(user -> user.id() != null && user.id().equals(member) && user.groups().contains(group.id()));
            if (!isMember) {
              problems.add(at + ".members", "'" + member + "' is not a user in group '" + group.id() + "'");
            }
          }
        }
      }
    }
    Set<String> clientIds = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < directory.apiClients().size(); i++) {
      DirectoryFile.ApiClient client = directory.apiClients().get(i);
      String at = "api-clients[" + i + "]";
      if (problems.requireId(client.id(), at + ".id") && !clientIds.add(client.id())) {
        problems.add(at + ".id", "api client '" + client.id() + "' is listed twice");
      }
      if (client.key() == null || client.key().length() < SHORTEST_API_KEY) {
        problems.add(at + ".key", "a key of at least " + SHORTEST_API_KEY + " characters is needed");
      } else if (!keys.add(client.key())) {
        problems.add(at + ".key", "the same key is given to two clients");
      }
      if (client.projects().isEmpty()) {
        problems.add(at + ".projects", "list the project slugs (globs such as gh/acme/*) this key may ask for");
      }
    }
    problems.throwIfAny();
  }

  private static final class Problems {
    private final String source;
    private final StringBuilder text = new StringBuilder();

    Problems(String source) {
      this.source = source;
    }

    boolean requireId(String id, String at) {
      if (id == null || !ID.matcher(id).matches()) {
        add(at, "an id of letters, digits, '.', '_', '@' or '-' (at most 64) is needed, not '" + id + "'");
        return false;
      }
      return true;
    }

    void add(String at, String problem) {
      text.append("\n  ").append(at).append(": ").append(problem);
    }

    void throwIfAny() {
      if (!text.isEmpty()) {
        throw new DirectoryException("Directory file " + source + " has problems:" + text);
      }
    }
  }
}
