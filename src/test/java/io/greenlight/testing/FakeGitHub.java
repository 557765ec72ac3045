package io.greenlight.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub's REST API on loopback, as {@code src/test/resources/contracts/github-deployment-protection-rules.json} (and
 * the GitHub docs its README cites) describe it: {@code POST /app/installations/{id}/access_tokens} takes the App's
 * JWT (RS256, checked with the App's public key: algorithm, {@code iss}, at most 10 minutes) and answers 201 with a
 * token that lasts an hour; {@code POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule} takes
 * that token and {@code environment_name}, {@code state}, {@code comment}, and answers 204. A rule already reviewed is
 * answered 422 "No pending deployment protection rule" (what GitHub answers when there is nothing left to review). It
 * records every review and can be told to fail (5xx, 429 with Retry-After).
 */
public class FakeGitHub extends FakeServer {

  public static final String APP_ID = "424242";
  public static final String WEBHOOK_SECRET = "fake-github-webhook-secret";
  public static final long INSTALLATION_ID = 7_001L;

  /** What this fake serves, as the contract names it; {@code ContractsTest} holds it to both. */
  public static final List<String> OPERATIONS = List.of(
      "POST /app/installations/{installation_id}/access_tokens",
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule");

  private static final Pattern TOKENS = Pattern.compile("^/app/installations/([0-9]+)/access_tokens$");
  private static final Pattern REVIEW = Pattern.compile(
      "^/repos/([^/]+)/([^/]+)/actions/runs/([0-9]+)/deployment_protection_rule$");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyPair APP_KEY = newKeyPair();

  private final List<Review> reviews = new CopyOnWriteArrayList<>();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  private final Deque<Integer> failures = new ArrayDeque<>();
  private volatile boolean loseNextReviewAnswer;
  private final Set<String> stoppedRuns = ConcurrentHashMap.newKeySet();

  /**
   * A review call the fake handled, of the rule on {@code environment} of {@code owner/repo}'s run, with the status it
   * answered: 204 taken, 422 refused (reviewed before, or the run no longer waits), 502 taken but the answer lost.
   */
  public record Review(String repository, String runId, String environment, String state, String comment, int status) {

    public boolean taken() {
      return status != 422;
    }
  }

  public String baseUrl() {
    return root();
  }

  /** The App's private key as GitHub hands it out: PEM, PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
  public static String privateKeyPem() {
    byte[] pkcs8 = APP_KEY.getPrivate().getEncoded();
    // PKCS#8 of an RSA key: SEQUENCE { version, algorithm, OCTET STRING { PKCS#1 } }; the PKCS#1 key starts at 26.
    if (pkcs8[22] != 0x04) {
      throw new IllegalStateException("unexpected PKCS#8 layout");
    }
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    return "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs1)
        + "\n-----END RSA PRIVATE KEY-----\n";
  }

  /** The callback GitHub names in the webhook for this run. */
  public String callbackUrl(String repository, String runId) {
    return root() + "/repos/" + repository + "/actions/runs/" + runId + "/deployment_protection_rule";
  }

  public List<Review> reviews() {
    return List.copyOf(reviews);
  }

  /** Every review call about one run's rules that reached GitHub's logic (not the injected failures), in order. */
  public List<Review> reviewsOf(String runId) {
    return reviews.stream().filter(review -> review.runId().equals(runId)).toList();
  }

  public List<String> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  /** The next call is answered with HTTP {@code status} (503: an outage; 429: rate limited). */
  public synchronized void failNext(int status) {
    failures.add(status);
  }

  /** The next review is taken, but its answer is lost on the way back (502): as if Greenlight died before seeing it. */
  public void loseNextReviewAnswer() {
    loseNextReviewAnswer = true;
  }

  /** The run was cancelled in GitHub: its rules no longer wait, and reviewing them is answered 422. */
  public void cancelRun(String runId) {
    stoppedRuns.add(runId);
  }

  public void reset() {
    loseNextReviewAnswer = false;
    stoppedRuns.clear();
    reviews.clear();
    tokenRequests.clear();
    synchronized (this) {
      failures.clear();
    }
  }

  @Override
  protected void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Matcher tokens = TOKENS.matcher(path);
    Matcher review = REVIEW.matcher(path);
    if (!"POST".equals(exchange.getRequestMethod()) || !(tokens.matches() || review.matches())) {
      send(exchange, 404, error("Not Found"));
      return;
    }
    if (exchange.getRequestHeaders().getFirst("User-Agent") == null) {
      send(exchange, 403, error("Request forbidden by administrative rules. Please make sure your request has a User-Agent header"));
      return;
    }
    Integer failure;
    synchronized (this) {
      failure = failures.poll();
    }
    if (failure != null) {
      if (failure == 429) {
        exchange.getResponseHeaders().add("Retry-After", "1");
      }
      send(exchange, failure, error(failure == 429 ? "API rate limit exceeded" : "Server Error"));
      return;
    }
    String bearer = bearer(exchange);
    if (tokens.matches()) {
      installationToken(exchange, Long.parseLong(tokens.group(1)), bearer);
    } else {
      review(exchange, review.group(1) + "/" + review.group(2), review.group(3), bearer);
    }
  }

  private void installationToken(HttpExchange exchange, long installationId, String jwt) throws IOException {
    tokenRequests.add(jwt == null ? "" : jwt);
    String refusal = jwtRefusal(jwt);
    if (refusal != null) {
      send(exchange, 401, error(refusal));
      return;
    }
    if (installationId != INSTALLATION_ID) {
      send(exchange, 404, error("Not Found"));
      return;
    }
    String token = "ghs_" + UUID.randomUUID().toString().replace("-", "");
    issuedTokens.add(token);
    send(exchange, 201, Map.of("token", token, "expires_at", Instant.now().plus(Duration.ofHours(1)).toString(),
        "permissions", Map.of("actions", "read", "deployments", "write"), "repository_selection", "all"));
  }

  /** Why GitHub would refuse this JWT, or null when it takes it. */
  private static String jwtRefusal(String jwt) {
    if (jwt == null) {
      return "A JSON web token could not be decoded";
    }
    try {
      Jws<Claims> parsed = Jwts.parser().verifyWith(APP_KEY.getPublic()).build().parseSignedClaims(jwt);
      Claims claims = parsed.getPayload();
      if (!"RS256".equals(parsed.getHeader().getAlgorithm())) {
        return "'alg' must be RS256";
      }
      if (!APP_ID.equals(claims.getIssuer())) {
        return "'Issuer' claim ('iss') must be the App's id";
      }
      if (claims.getIssuedAt() == null || claims.getExpiration() == null
          || Duration.between(claims.getIssuedAt().toInstant(), claims.getExpiration().toInstant()).compareTo(Duration.ofMinutes(10)) > 0) {
        return "'Expiration time' claim ('exp') is too far in the future";
      }
      return null;
    } catch (JwtException | IllegalArgumentException refused) {
      return "A JSON web token could not be decoded";
    }
  }

  private void review(HttpExchange exchange, String repository, String runId, String token) throws IOException {
    if (token == null || !issuedTokens.contains(token)) {
      send(exchange, 401, error("Bad credentials"));
      return;
    }
    JsonNode body = JSON.readTree(exchange.getRequestBody());
    String environment = body.path("environment_name").asText(null);
    String state = body.path("state").asText(null);
    if (environment == null || !Set.of("approved", "rejected").contains(state)) {
      send(exchange, 422, error("Invalid request: environment_name and state (approved or rejected) are required"));
      return;
    }
    String comment = body.path("comment").asText(null);
    boolean reviewedBefore = reviews.stream().anyMatch(earlier -> earlier.taken() && earlier.repository().equals(repository)
        && earlier.runId().equals(runId) && earlier.environment().equals(environment));
    if (reviewedBefore || stoppedRuns.contains(runId)) {
      reviews.add(new Review(repository, runId, environment, state, comment, 422));
      send(exchange, 422, error("No pending deployment protection rule for environment " + environment));
      return;
    }
    if (loseNextReviewAnswer) {
      loseNextReviewAnswer = false;
      reviews.add(new Review(repository, runId, environment, state, comment, 502));
      send(exchange, 502, error("Server Error"));
      return;
    }
    reviews.add(new Review(repository, runId, environment, state, comment, 204));
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  private static String bearer(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring("Bearer ".length()) : null;
  }

  private static Map<String, String> error(String message) {
    return Map.of("message", message, "documentation_url", "https://docs.github.com/rest");
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
