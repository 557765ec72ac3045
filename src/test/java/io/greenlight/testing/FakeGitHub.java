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
import java.util.LinkedHashMap;
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
 *
 * <p>For the change a request deploys, as {@code github-compare-and-installation.json} describes:
 * {@code GET /repos/{owner}/{repo}/installation} takes the App's JWT and answers the installation (404 where the App is
 * {@linkplain #notInstalledOn not installed}); {@code GET /repos/{owner}/{repo}/compare/{base}...{head}} takes an
 * installation token and compares two commits of a repository's linear {@linkplain #push history}: oldest first,
 * {@code total_commits} counting all, pages of {@code per_page} (at most 100) with {@code page}, and without either
 * the newest 250 only. A commit the history does not hold is answered 404.
 */
public class FakeGitHub extends FakeServer {

  public static final String APP_ID = "424242";
  public static final String WEBHOOK_SECRET = "fake-github-webhook-secret";
  public static final long INSTALLATION_ID = 7_001L;

  /** What this fake serves, as the contract names it; {@code ContractsTest} holds it to both. */
  public static final List<String> OPERATIONS = List.of(
      "POST /app/installations/{installation_id}/access_tokens",
      "POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule");
  /** What this fake serves of {@code github-compare-and-installation.json}; {@code ContractsTest} holds it to both. */
  public static final List<String> CHANGE_OPERATIONS = List.of(
      "GET /repos/{owner}/{repo}/installation",
      "GET /repos/{owner}/{repo}/compare/{basehead}");

  private static final Pattern TOKENS = Pattern.compile("^/app/installations/([0-9]+)/access_tokens$");
  private static final Pattern REVIEW = Pattern.compile(
      "^/repos/([^/]+)/([^/]+)/actions/runs/([0-9]+)/deployment_protection_rule$");
  private static final Pattern INSTALLATION = Pattern.compile("^/repos/([^/]+)/([^/]+)/installation$");
  private static final Pattern COMPARE = Pattern.compile("^/repos/([^/]+)/([^/]+)/compare/([^/]+)\\.\\.\\.([^/]+)$");
  /** What GitHub lists of a comparison asked without paging. */
  private static final int UNPAGED_LIMIT = 250;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyPair APP_KEY = newKeyPair();

  private final List<Review> reviews = new CopyOnWriteArrayList<>();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  private final Deque<Integer> failures = new ArrayDeque<>();
  private volatile boolean loseNextReviewAnswer;
  private final Set<String> stoppedRuns = ConcurrentHashMap.newKeySet();
  private final Map<String, List<PushedCommit>> histories = new ConcurrentHashMap<>();
  private final Set<String> notInstalled = ConcurrentHashMap.newKeySet();
  private final List<String> changeRequests = new CopyOnWriteArrayList<>();
  private final Deque<Integer> compareFailures = new ArrayDeque<>();

  /**
   * A commit of a repository's history: {@code authorLogin} and {@code committerLogin} are GitHub accounts (null: the
   * e-mail matches none, and GitHub sends {@code author: null}); {@code authorName} the git author's name.
   */
  public record PushedCommit(String sha, String authorLogin, String authorName, String committerLogin, String message) {}

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

  /** {@code commits} (oldest first) are pushed onto {@code repository}'s (owner/name) history. */
  public void push(String repository, List<PushedCommit> commits) {
    histories.computeIfAbsent(repository.toLowerCase(), name -> new CopyOnWriteArrayList<>()).addAll(commits);
  }

  /** The App is not installed on {@code repository} (owner/name): looking up its installation is answered 404. */
  public void notInstalledOn(String repository) {
    notInstalled.add(repository.toLowerCase());
  }

  /** The next compare calls are answered with these HTTP statuses, one each (after the installation was found). */
  public synchronized void failNextCompare(int... statuses) {
    for (int status : statuses) {
      compareFailures.add(status);
    }
  }

  /** Every installation lookup and compare call, as "GET path?query", in order. */
  public List<String> changeRequests() {
    return List.copyOf(changeRequests);
  }

  /** The compare calls about {@code repository} (owner/name): their query strings, in order. */
  public List<String> compareQueries(String repository) {
    String prefix = "GET /repos/" + repository + "/compare/";
    return changeRequests.stream().filter(call -> call.startsWith(prefix))
        .map(call -> call.contains("?") ? call.substring(call.indexOf('?') + 1) : "").toList();
  }

  public void reset() {
    loseNextReviewAnswer = false;
    stoppedRuns.clear();
    histories.clear();
    notInstalled.clear();
    changeRequests.clear();
    reviews.clear();
    tokenRequests.clear();
    synchronized (this) {
      failures.clear();
      compareFailures.clear();
    }
  }

  @Override
  protected void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Matcher tokens = TOKENS.matcher(path);
    Matcher review = REVIEW.matcher(path);
    Matcher installation = INSTALLATION.matcher(path);
    Matcher compare = COMPARE.matcher(path);
    boolean post = "POST".equals(exchange.getRequestMethod()) && (tokens.matches() || review.matches());
    boolean get = "GET".equals(exchange.getRequestMethod()) && (installation.matches() || compare.matches());
    if (!post && !get) {
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
    if (get) {
      String query = exchange.getRequestURI().getRawQuery();
      changeRequests.add("GET " + path + (query == null ? "" : "?" + query));
      if (installation.matches()) {
        installation(exchange, installation.group(1) + "/" + installation.group(2), bearer);
      } else {
        compare(exchange, compare.group(1), compare.group(2), compare.group(3), compare.group(4), query, bearer);
      }
    } else if (tokens.matches()) {
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

  private void installation(HttpExchange exchange, String repository, String jwt) throws IOException {
    String refusal = jwtRefusal(jwt);
    if (refusal != null) {
      send(exchange, 401, error(refusal));
      return;
    }
    if (notInstalled.contains(repository.toLowerCase())) {
      send(exchange, 404, error("Not Found"));
      return;
    }
    String owner = repository.substring(0, repository.indexOf('/'));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", INSTALLATION_ID);
    answer.put("account", Map.of("login", owner, "id", 1, "type", "Organization"));
    answer.put("repository_selection", "selected");
    answer.put("access_tokens_url", root() + "/app/installations/" + INSTALLATION_ID + "/access_tokens");
    answer.put("repositories_url", root() + "/installation/repositories");
    answer.put("html_url", "https://github.com/organizations/" + owner + "/settings/installations/" + INSTALLATION_ID);
    answer.put("app_id", Long.parseLong(APP_ID));
    answer.put("app_slug", "greenlight");
    answer.put("target_id", 1);
    answer.put("target_type", "Organization");
    answer.put("permissions", Map.of("actions", "read", "contents", "read", "deployments", "write"));
    answer.put("events", List.of("deployment_protection_rule"));
    answer.put("created_at", "2026-01-05T09:00:00Z");
    answer.put("updated_at", "2026-01-05T09:00:00Z");
    answer.put("single_file_name", null);
    answer.put("suspended_by", null);
    answer.put("suspended_at", null);
    send(exchange, 200, answer);
  }

  private void compare(HttpExchange exchange, String owner, String repo, String base, String head, String query, String token)
      throws IOException {
    if (token == null || !issuedTokens.contains(token)) {
      send(exchange, 401, error("Bad credentials"));
      return;
    }
    Integer failure;
    synchronized (this) {
      failure = compareFailures.poll();
    }
    if (failure != null) {
      send(exchange, failure, error("Server Error"));
      return;
    }
    List<PushedCommit> history = histories.getOrDefault((owner + "/" + repo).toLowerCase(), List.of());
    int baseAt = indexOf(history, base);
    int headAt = indexOf(history, head);
    if (baseAt < 0 || headAt < 0) {
      send(exchange, 404, error("Not Found"));
      return;
    }
    List<PushedCommit> range = headAt > baseAt ? history.subList(baseAt + 1, headAt + 1) : List.of();
    Map<String, String> parameters = parameters(query);
    List<PushedCommit> listed;
    if (parameters.containsKey("page") || parameters.containsKey("per_page")) {
      int perPage = Math.min(100, Math.max(1, Integer.parseInt(parameters.getOrDefault("per_page", "30"))));
      int page = Math.max(1, Integer.parseInt(parameters.getOrDefault("page", "1")));
      int from = Math.min(range.size(), (page - 1) * perPage);
      listed = range.subList(from, Math.min(range.size(), from + perPage));
    } else {
      listed = range.subList(Math.max(0, range.size() - UNPAGED_LIMIT), range.size());
    }
    String compareUrl = "https://github.com/" + owner + "/" + repo + "/compare/" + base + "..." + head;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("url", root() + "/repos/" + owner + "/" + repo + "/compare/" + base + "..." + head);
    answer.put("html_url", compareUrl);
    answer.put("permalink_url", compareUrl);
    answer.put("diff_url", compareUrl + ".diff");
    answer.put("patch_url", compareUrl + ".patch");
    answer.put("base_commit", commitJson(owner, repo, history.get(baseAt)));
    answer.put("merge_base_commit", commitJson(owner, repo, history.get(Math.min(baseAt, headAt))));
    answer.put("status", headAt == baseAt ? "identical" : headAt > baseAt ? "ahead" : "behind");
    answer.put("ahead_by", range.size());
    answer.put("behind_by", Math.max(0, baseAt - headAt));
    answer.put("total_commits", range.size());
    answer.put("commits", listed.stream().map(commit -> commitJson(owner, repo, commit)).toList());
    answer.put("files", List.of());
    send(exchange, 200, answer);
  }

  /** Where {@code sha} (or an abbreviation of at least 7 digits, as GitHub takes them) is in the history; -1 if not. */
  private static int indexOf(List<PushedCommit> history, String sha) {
    String wanted = sha.toLowerCase();
    for (int i = 0; i < history.size(); i++) {
      if (wanted.length() >= 7 && history.get(i).sha().toLowerCase().startsWith(wanted)) {
        return i;
      }
    }
    return -1;
  }

  private Map<String, Object> commitJson(String owner, String repo, PushedCommit commit) {
    Map<String, Object> gitAuthor = Map.of("name", commit.authorName(), "email", commit.authorName().replace(' ', '.') + "@example.com",
        "date", "2026-01-05T09:00:00Z");
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("url", root() + "/repos/" + owner + "/" + repo + "/git/commits/" + commit.sha());
    inner.put("author", gitAuthor);
    inner.put("committer", gitAuthor);
    inner.put("message", commit.message());
    inner.put("comment_count", 0);
    inner.put("tree", Map.of("sha", commit.sha(), "url", root() + "/repos/" + owner + "/" + repo + "/git/trees/" + commit.sha()));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("url", root() + "/repos/" + owner + "/" + repo + "/commits/" + commit.sha());
    json.put("sha", commit.sha());
    json.put("node_id", "C_" + commit.sha());
    json.put("html_url", "https://github.com/" + owner + "/" + repo + "/commit/" + commit.sha());
    json.put("comments_url", root() + "/repos/" + owner + "/" + repo + "/commits/" + commit.sha() + "/comments");
    json.put("commit", inner);
    json.put("author", user(commit.authorLogin()));
    json.put("committer", user(commit.committerLogin()));
    json.put("parents", List.of());
    return json;
  }

  private static Map<String, Object> user(String login) {
    return login == null ? null : Map.of("login", login, "id", Math.abs(login.hashCode()), "type", "User",
        "html_url", "https://github.com/" + login);
  }

  private static Map<String, String> parameters(String query) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int equals = pair.indexOf('=');
        if (equals > 0) {
          parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
      }
    }
    return parameters;
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
