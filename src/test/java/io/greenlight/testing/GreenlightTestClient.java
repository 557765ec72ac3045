package io.greenlight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Base64;

/** Plain HTTP to the running application, as a pipeline, an approver or a browser would talk to it. */
public class GreenlightTestClient {

  private final String baseUrl;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public GreenlightTestClient(int port) {
    this.baseUrl = "http://127.0.0.1:" + port;
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
  }

  public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public static String bearer(String key) {
    return "Bearer " + key;
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public Answer get(String path, String authorization) {
    return send(request(path, authorization).GET().build());
  }

  public Answer postJson(String path, String authorization, String body) {
    return send(request(path, authorization).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public Answer postForm(String path, String form, String xsrfToken) {
    HttpRequest.Builder builder = request(path, null).header("Content-Type", "application/x-www-form-urlencoded");
    if (xsrfToken != null) {
      builder.header("X-XSRF-TOKEN", xsrfToken);
    }
    return send(builder.POST(HttpRequest.BodyPublishers.ofString(form)).build());
  }

  /** A form as Twilio posts its webhooks, with {@code X-Twilio-Signature} when {@code signature} is not null. */
  public Answer postTwilio(String pathAndQuery, Map<String, String> form, String signature) {
    String body = form.entrySet().stream()
        .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder request = request(pathAndQuery, null)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return send(request.build());
  }

  public Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.contains("json") && !response.body().isEmpty()) {
        body = json.readTree(response.body());
      }
      return new Answer(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpRequest.Builder request(String path, String authorization) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  /** The Camunda webapps' CSRF token, from the cookie they set on the first page view. */
  public String webappXsrfToken() {
    get("/camunda/app/tasklist/default/", null);
    return currentXsrfToken();
  }

  /** Logs in to a Camunda webapp as a person would, and answers the CSRF token of the new session. */
  public String webappLogin(String app, String user, String password) {
    Answer login = postForm("/camunda/api/admin/auth/user/default/login/" + app,
        "username=" + user + "&password=" + password, webappXsrfToken());
    if (login.status() != 200) {
      throw new AssertionError("Login of " + user + " to " + app + " answered " + login.status());
    }
    return currentXsrfToken();
  }

  /** The CSRF token cookie as it stands (a login starts a new session with a new token). */
  public String currentXsrfToken() {
    return ((CookieManager) http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
        .filter(cookie -> cookie.getName().equals("XSRF-TOKEN")).map(java.net.HttpCookie::getValue)
        .findFirst().orElseThrow();
  }
}
