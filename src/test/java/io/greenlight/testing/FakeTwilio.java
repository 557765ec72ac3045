package io.greenlight.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's Messages and Calls APIs on loopback, as {@code src/test/resources/contracts/twilio-api-v2010-messages.json}
 * describes {@code CreateMessage} and {@code twilio-api-v2010-calls.json} {@code CreateCall}: a form POST to
 * {@code /2010-04-01/Accounts/{AccountSid}/Messages.json} or {@code …/Calls.json} with HTTP Basic
 * (AccountSid:AuthToken), answered 201 with the Message or Call resource. Errors are Twilio's JSON
 * {@code {code, message, more_info, status}}. It records every message and call, and can be told to fail.
 */
public class FakeTwilio extends FakeServer {

  /** Not a real account: upper-case hex, as Twilio's pattern ^AC[0-9a-fA-F]{32}$ allows. */
  public static final String ACCOUNT_SID = "ACFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
  public static final String AUTH_TOKEN = "fake-twilio-auth-token";
  public static final String FROM = "+15005550006";
  /** Twilio's own test number for "invalid To". */
  public static final String INVALID_NUMBER = "+15005550001";

  /** What this fake serves, as the contract names it; {@code ContractsTest} holds it to both. */
  public static final List<String> OPERATIONS = List.of("POST /2010-04-01/Accounts/{AccountSid}/Messages.json",
      "POST /2010-04-01/Accounts/{AccountSid}/Calls.json");

  private static final Pattern MESSAGES = Pattern.compile("^/2010-04-01/Accounts/([^/]+)/(Messages|Calls)\\.json$");

  private final List<Sent> messages = new CopyOnWriteArrayList<>();
  private final List<Sent> calls = new CopyOnWriteArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();

  /** The next request is answered {@code status} (with {@code Retry-After}, when given), or after {@code hangMillis}. */
  private record Failure(int status, String retryAfter, long hangMillis) {}

  public record Sent(String sid, String authorization, Map<String, String> form) {}

  public String baseUrl() {
    return root();
  }

  /** {@code X-Twilio-Signature} as Twilio computes it (src/test/resources/contracts/README.md): the URL, then every posted name and value in name order. */
  public static String sign(String url, Map<String, String> form) {
    return sign(AUTH_TOKEN, url, form);
  }

  public static String sign(String authToken, String url, Map<String, String> form) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(form).forEach((name, value) -> data.append(name).append(value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<Sent> messages() {
    return List.copyOf(messages);
  }

  public List<Sent> messagesTo(String number) {
    return messages.stream().filter(message -> number.equals(message.form().get("To"))).toList();
  }

  /** Every call Twilio was asked to make: {@code form} holds {@code To}, {@code Twiml}, {@code StatusCallback}. */
  public List<Sent> calls() {
    return List.copyOf(calls);
  }

  public List<Sent> callsTo(String number) {
    return calls.stream().filter(call -> number.equals(call.form().get("To"))).toList();
  }

  public synchronized void failNext(int status) {
    failures.add(new Failure(status, null, 0));
  }

  /** Twilio's answer to too many requests: 429 with {@code Retry-After} in seconds. */
  public synchronized void rateLimitNext(String retryAfter) {
    failures.add(new Failure(429, retryAfter, 0));
  }

  /** The next request gets no answer for {@code millis} (longer than the caller's read timeout, to test it). */
  public synchronized void hangNext(long millis) {
    failures.add(new Failure(0, null, millis));
  }

  /** The outage is over: failures still queued are dropped. */
  public synchronized void recover() {
    failures.clear();
  }

  public void reset() {
    messages.clear();
    calls.clear();
    synchronized (this) {
      failures.clear();
    }
  }

  @Override
  protected void handle(HttpExchange exchange) throws IOException {
    Matcher matcher = MESSAGES.matcher(exchange.getRequestURI().getPath());
    if (!"POST".equals(exchange.getRequestMethod()) || !matcher.matches()) {
      error(exchange, 404, 20404, "The requested resource was not found");
      return;
    }
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String expected = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT_SID + ":" + AUTH_TOKEN).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(authorization) || !matcher.group(1).equals(ACCOUNT_SID)) {
      error(exchange, 401, 20003, "Authenticate");
      return;
    }
    Map<String, String> form = parseForm(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Failure failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null && failure.hangMillis() > 0) {
      pause(failure.hangMillis());
    } else if (failure != null) {
      if (failure.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", failure.retryAfter());
      }
      error(exchange, failure.status(), failure.status() == 429 ? 20429 : 20500, "Simulated failure " + failure.status());
      return;
    }
    if (form.get("To") == null || form.get("To").isBlank()) {
      error(exchange, 400, 21604, "A 'To' phone number is required.");
      return;
    }
    if (INVALID_NUMBER.equals(form.get("To"))) {
      error(exchange, 400, 21211, "The 'To' number " + form.get("To") + " is not a valid phone number.");
      return;
    }
    if ("Calls".equals(matcher.group(2))) {
      call(exchange, form);
      return;
    }
    String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
    messages.add(new Sent(sid, authorization, form));
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("account_sid", ACCOUNT_SID);
    message.put("api_version", "2010-04-01");
    message.put("body", form.get("Body"));
    message.put("date_created", "Thu, 24 Aug 2023 05:01:45 +0000");
    message.put("direction", "outbound-api");
    message.put("error_code", null);
    message.put("error_message", null);
    message.put("from", form.get("From"));
    message.put("num_media", "0");
    message.put("num_segments", "1");
    message.put("sid", sid);
    message.put("status", "queued");
    message.put("to", form.get("To"));
    message.put("uri", "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages/" + sid + ".json");
    send(exchange, 201, message);
  }

  /** CreateCall: instructions are exactly one of Url, Twiml, ApplicationSid (error 21205 otherwise, as Twilio's 21200 family). */
  private void call(HttpExchange exchange, Map<String, String> form) throws IOException {
    long instructions = java.util.stream.Stream.of("Url", "Twiml", "ApplicationSid").filter(form::containsKey).count();
    if (form.get("From") == null || form.get("From").isBlank() || instructions != 1) {
      error(exchange, 400, 21205, "A call needs From, and exactly one of Url, Twiml or ApplicationSid.");
      return;
    }
    String sid = "CA" + UUID.randomUUID().toString().replace("-", "");
    calls.add(new Sent(sid, exchange.getRequestHeaders().getFirst("Authorization"), form));
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("account_sid", ACCOUNT_SID);
    call.put("api_version", "2010-04-01");
    call.put("date_created", "Thu, 24 Aug 2023 05:01:45 +0000");
    call.put("direction", "outbound-api");
    call.put("from", form.get("From"));
    call.put("from_formatted", form.get("From"));
    call.put("sid", sid);
    call.put("status", "queued");
    call.put("to", form.get("To"));
    call.put("to_formatted", form.get("To"));
    call.put("uri", "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Calls/" + sid + ".json");
    send(exchange, 201, call);
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (!pair.isEmpty()) {
        String[] nameAndValue = pair.split("=", 2);
        form.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
            nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
      }
    }
    return form;
  }

  private void error(HttpExchange exchange, int status, int code, String message) throws IOException {
    send(exchange, status, Map.of("code", code, "message", message,
        "more_info", "https://www.twilio.com/docs/errors/" + code, "status", status));
  }

}
