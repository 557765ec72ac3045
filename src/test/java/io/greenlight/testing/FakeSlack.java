package io.greenlight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's Web API on loopback, as {@code src/test/resources/contracts/slack-web-api.json} and
 * {@code slack-interactivity.md} describe it: {@code chat.postMessage}, {@code chat.update} and {@code views.open} under
 * {@code /api}, arguments as a form (or JSON) with {@code Authorization: Bearer xoxb-…}, every answer HTTP 200 with
 * {@code ok} (an error is {@code ok: false} and its code). A direct message to a member id is posted in a {@code D…}
 * conversation of its own; messages can be updated by channel and {@code ts}. It records every call and can be told to
 * fail like an outage does (HTTP 5xx, 429 with Retry-After).
 */
public class FakeSlack extends FakeServer {

  public static final String BOT_TOKEN = "xoxb-fake-slack-bot-token";
  public static final String SIGNING_SECRET = "fake-slack-signing-secret";
  /** A member id Slack does not know: chat.postMessage answers channel_not_found. */
  public static final String UNKNOWN_MEMBER = "U0NOBODY0";
  /** The workspace the bot token belongs to (auth.test's team_id). */
  public static final String TEAM_ID = "T0ACME001";

  /** What this fake serves, as the contract names it; {@code ContractsTest} holds it to both. */
  public static final List<String> OPERATIONS = List.of("POST /chat.postMessage", "POST /chat.update", "GET /views.open");
  /** Slack's current reference (and its SDK) call views.open with POST; the 2020 contract says GET. Both are served. */
  private static final Set<String> METHODS = Set.of("chat.postMessage", "chat.update", "views.open", "auth.test");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Message> messages = new ConcurrentHashMap<>();
  private final Deque<Integer> failures = new ArrayDeque<>();
  private final AtomicLong clock = new AtomicLong(1_767_225_600_000_000L);

  /** One call: the method, its arguments (blocks and view as the JSON text they were sent as). */
  public record Call(String method, String authorization, Map<String, String> arguments) {

    public JsonNode json(String argument) {
      try {
        return JSON.readTree(arguments.get(argument));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A message as it stands now, after any updates. */
  public record Message(String channel, String ts, String member, String text, JsonNode blocks, int updates) {}

  public String baseUrl() {
    return root() + "/api";
  }

  /** {@code X-Slack-Signature} of {@code rawBody} at {@code timestamp}, as Slack signs what it posts. */
  public static String sign(String signingSecret, String timestamp, String rawBody) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal(("v0:" + timestamp + ":" + rawBody).getBytes(StandardCharsets.UTF_8));
      return "v0=" + java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(call -> call.method().equals(method)).toList();
  }

  /** Messages posted to this member, in the order posted, as they stand now. */
  public List<Message> messagesTo(String member) {
    return messages.values().stream().filter(message -> message.member().equals(member))
        .sorted(java.util.Comparator.comparing(Message::ts)).toList();
  }

  /** The next call is answered with HTTP {@code status} (503: an outage; 429: rate limited). */
  public synchronized void failNext(int status) {
    failures.add(status);
  }

  public void reset() {
    calls.clear();
    messages.clear();
    synchronized (this) {
      failures.clear();
    }
  }

  @Override
  protected void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = path.startsWith("/api/") ? path.substring("/api/".length()) : "";
    boolean allowed = "POST".equals(exchange.getRequestMethod())
        || "GET".equals(exchange.getRequestMethod()) && "views.open".equals(method);
    if (!METHODS.contains(method) || !allowed) {
      send(exchange, 404, Map.of("ok", false, "error", "unknown_method"));
      return;
    }
    if ("auth.test".equals(method)) {
      // Who the bot token is (Slack's auth.test): its workspace is the only one whose clicks count.
      String token = exchange.getRequestHeaders().getFirst("Authorization");
      calls.add(new Call(method, token, Map.of()));
      send(exchange, 200, ("Bearer " + BOT_TOKEN).equals(token)
          ? Map.of("ok", true, "team_id", TEAM_ID, "team", "Acme", "user_id", "U0GREENLIGHT", "bot_id", "B0GREENLIGHT")
          : Map.of("ok", false, "error", "invalid_auth"));
      return;
    }
    Integer failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      if (failure == 429) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        send(exchange, 429, Map.of("ok", false, "error", "ratelimited"));
      } else {
        send(exchange, failure, Map.of("ok", false, "error", "service_unavailable"));
      }
      return;
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Map<String, String> arguments = arguments(exchange);
    if (authorization == null && arguments.containsKey("token")) {
      authorization = "Bearer " + arguments.get("token");
    }
    calls.add(new Call(method, authorization, arguments));
    if (!("Bearer " + BOT_TOKEN).equals(authorization)) {
      send(exchange, 200, Map.of("ok", false, "error", authorization == null ? "not_authed" : "invalid_auth"));
      return;
    }
    switch (method) {
      case "chat.postMessage" -> postMessage(exchange, arguments);
      case "chat.update" -> update(exchange, arguments);
      default -> openView(exchange, arguments);
    }
  }

  private void postMessage(HttpExchange exchange, Map<String, String> arguments) throws IOException {
    String member = arguments.get("channel");
    if (member == null || member.isBlank()) {
      send(exchange, 200, Map.of("ok", false, "error", "channel_not_found"));
      return;
    }
    if (UNKNOWN_MEMBER.equals(member)) {
      send(exchange, 200, Map.of("ok", false, "error", "channel_not_found"));
      return;
    }
    if (arguments.get("text") == null && arguments.get("blocks") == null) {
      send(exchange, 200, Map.of("ok", false, "error", "no_text"));
      return;
    }
    String channel = member.startsWith("U") || member.startsWith("W") ? "D" + member.substring(1) : member;
    String ts = nextTs();
    messages.put(channel + "/" + ts, new Message(channel, ts, member, arguments.get("text"), blocks(arguments), 0));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", true);
    answer.put("channel", channel);
    answer.put("ts", ts);
    answer.put("message", Map.of("type", "message", "text", String.valueOf(arguments.get("text")), "ts", ts));
    send(exchange, 200, answer);
  }

  private void update(HttpExchange exchange, Map<String, String> arguments) throws IOException {
    String key = arguments.get("channel") + "/" + arguments.get("ts");
    Message message = messages.get(key);
    if (message == null) {
      send(exchange, 200, Map.of("ok", false, "error", "message_not_found"));
      return;
    }
    JsonNode blocks = arguments.containsKey("blocks") ? blocks(arguments) : message.blocks();
    messages.put(key, new Message(message.channel(), message.ts(), message.member(),
        arguments.getOrDefault("text", message.text()), blocks, message.updates() + 1));
    send(exchange, 200, Map.of("ok", true, "channel", message.channel(), "ts", message.ts(),
        "text", String.valueOf(arguments.get("text"))));
  }

  private void openView(HttpExchange exchange, Map<String, String> arguments) throws IOException {
    if (arguments.get("trigger_id") == null || arguments.get("trigger_id").isBlank()) {
      send(exchange, 200, Map.of("ok", false, "error", "invalid_trigger_id"));
      return;
    }
    if (arguments.get("view") == null) {
      send(exchange, 200, Map.of("ok", false, "error", "invalid_arguments"));
      return;
    }
    send(exchange, 200, Map.of("ok", true, "view", Map.of("id", "V" + nextTs().replace(".", ""), "type", "modal")));
  }

  private String nextTs() {
    long micros = clock.incrementAndGet();
    return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
  }

  private static JsonNode blocks(Map<String, String> arguments) {
    try {
      return arguments.get("blocks") == null ? null : JSON.readTree(arguments.get("blocks"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A form, or a JSON object whose non-text members (blocks, view) are kept as their JSON text. */
  private static Map<String, String> arguments(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    Map<String, String> arguments = new LinkedHashMap<>();
    if (type != null && type.startsWith("application/json")) {
      JSON.readTree(body).fields().forEachRemaining(field -> arguments.put(field.getKey(),
          field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
      return arguments;
    }
    String query = exchange.getRequestURI().getRawQuery();
    for (String part : new String[] {query == null ? "" : query, body}) {
      for (String pair : part.split("&")) {
        if (!pair.isEmpty()) {
          String[] nameAndValue = pair.split("=", 2);
          arguments.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
              nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
        }
      }
    }
    return arguments;
  }
}
