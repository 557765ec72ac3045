package io.greenlight.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Greenlight's benchmarks (docs/benchmarks.md): the packaged jar on its default H2 file database, against the fake
 * CircleCI and Twilio of the tests on loopback. Reports, never asserts:
 * <ol>
 *   <li>intake: the sustained rate of {@code POST /api/approvals} with N concurrent clients, and in the same run the rate
 *   of Camunda's own {@code POST /engine-rest/process-definition/key/deployment-approval/start} with the same variables;
 *   the figure is the ratio; then both at several loads for the latency chart;</li>
 *   <li>decision latency: from sending a signed SMS reply (and, separately, an API decision) to the fake CircleCI
 *   receiving the approve call;</li>
 *   <li>scale: with 10,000 pending requests, the intake rate, request and SMS-code lookups, heap after GC, start-up.</li>
 * </ol>
 * Run with {@code mvn -B -Pbench verify}; settings as system properties ({@code -Dbench.runs=3} …); results in
 * {@code target/bench/}.
 */
public final class Benchmark {

  static final int RUNS = Integer.getInteger("bench.runs", 3);
  static final int CLIENTS = Integer.getInteger("bench.clients", 8);
  static final int SECONDS = Integer.getInteger("bench.seconds", 20);
  static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 15);
  static final int SAMPLES = Integer.getInteger("bench.samples", 60);
  static final int PENDING = Integer.getInteger("bench.pending", 10_000);
  static final int[] LOADS = parseInts(System.getProperty("bench.loads", "1,2,4,8,16"));
  static final Path OUT = Path.of(System.getProperty("bench.out", "target/bench"));
  /** Which parts run: intake, decisions, scale, soak. */
  static final List<String> PHASES = List.of(System.getProperty("bench.phases", "soak,intake,decisions,scale").split(","));
  /**
   * New requests a second, each answered once it waits, in the background of every phase after the soak (0: none):
   * the steady traffic of a node in use, whose housekeeping and commits the measured answers compete with.
   */
  static final double BACKGROUND_RATE = Double.parseDouble(System.getProperty("bench.background-rate", "1"));
  /** A flight recording of the decision phase ({@code <database>-decisions.jfr} beside the results), for the breakdown. */
  static final boolean RECORD_DECISIONS = Boolean.parseBoolean(System.getProperty("bench.record-decisions", "true"));
  /** How many requests the soak phase makes and answers, and with how many clients. */
  static final int SOAK = Integer.getInteger("bench.soak", 5_000);
  static final int SOAK_CLIENTS = Integer.getInteger("bench.soak-clients", 4);
  /** Requests started per second in the soak; 0: as fast as its clients go (the node saturated). */
  static final double SOAK_RATE = Double.parseDouble(System.getProperty("bench.soak-rate", "0"));
  /** Where the jar keeps its data: {@code h2} (its default file), {@code postgres} (the local server, a fresh database). */
  static final List<String> DATABASES = List.of(System.getProperty("bench.databases", "h2").split(","));
  static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

  static final String API_KEY = "bench-ci-key-0123456789";
  static final String ADMIN_PASSWORD = "bench-admin-password";
  static final String ALICE_PHONE = "+15551230001";
  static final String OCTOCAT_PHONE = "+15551230003";
  static final Pattern APPROVE_PATH = Pattern.compile("/workflow/([^/]+)/approve/");
  static final ObjectMapper JSON = new ObjectMapper();

  private final FakeCircleCi circleCi = new FakeCircleCi();
  private final FakeTwilio twilio = new FakeTwilio();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** The approve calls the harness waits for, by workflow id. */
  private final Map<String, CompletableFuture<Long>> approvals = new ConcurrentHashMap<>();
  /** Requests made and still pending, for the lookups at scale. */
  private final List<Pending> pending = Collections.synchronizedList(new ArrayList<>());
  private final Report report = new Report();
  private final Path workingDirectory;
  private final int port = GreenlightProcess.freePort();
  private GreenlightProcess greenlight;
  /** What starts: the packaged jar, or (for the last restarts) the same extracted, with its class-data-sharing options. */
  private Path jar = Path.of("target", "greenlight.jar").toAbsolutePath();
  private List<String> startOptions = List.of();
  private List<String> launchArguments = List.of();

  record Pending(String id, String code) {}

  /** {@code h2} or {@code postgres}. */
  private final String database;
  /** The PostgreSQL database of this run, when on PostgreSQL. */
  private final String postgresDatabase;

  private Benchmark(String database) throws Exception {
    this.database = database;
    workingDirectory = Files.createTempDirectory("greenlight-bench");
    postgresDatabase = "postgres".equals(database) ? createPostgresDatabase() : null;
    circleCi.onRequest(recorded -> {
      Matcher approve = APPROVE_PATH.matcher(recorded.path());
      if ("POST".equals(recorded.method()) && approve.find()) {
        approvals.computeIfAbsent(approve.group(1), id -> new CompletableFuture<>()).complete(recorded.receivedNanos());
      }
    });
  }

  public static void main(String[] args) throws Exception {
    Files.createDirectories(OUT);
    Map<String, Map<String, String>> summaries = new LinkedHashMap<>();
    for (String database : DATABASES) {
      Benchmark benchmark = new Benchmark(database);
      try {
        summaries.put(database, benchmark.run(DATABASES.size() == 1 ? OUT : OUT.resolve(database)));
      } finally {
        benchmark.close();
      }
    }
    StringBuilder side = new StringBuilder("# Side by side\n\n| figure | target | " + String.join(" | ", summaries.keySet())
        + " |\n|---|---|" + "---|".repeat(summaries.size()) + "\n");
    java.util.LinkedHashSet<String> figures = new java.util.LinkedHashSet<>();
    summaries.values().forEach(summary -> figures.addAll(summary.keySet()));
    for (String figure : figures) {
      side.append("| ").append(figure).append(" | ").append(Report.targetOf(figure)).append(" | ")
          .append(summaries.values().stream().map(summary -> summary.getOrDefault(figure, "–")).collect(Collectors.joining(" | ")))
          .append(" |\n");
    }
    Files.writeString(OUT.resolve("side-by-side.md"), side.toString());
    System.out.println(side);
  }

  /** A fresh database on the local PostgreSQL (trust authentication, user postgres). */
  private static String createPostgresDatabase() throws Exception {
    String name = "greenlight_bench_" + System.currentTimeMillis();
    try (java.sql.Connection connection = java.sql.DriverManager.getConnection(POSTGRES + "test", "postgres", "")) {
      connection.createStatement().execute("create database " + name);
    }
    return name;
  }

  private Map<String, String> run(Path out) throws Exception {
    Files.createDirectories(out);
    report.machine();
    report.note("Database: " + (postgresDatabase == null ? "H2, its default file" : "PostgreSQL, database " + postgresDatabase));
    Duration firstStart = start();
    report.note("First start-up (empty database, models deployed): " + firstStart.toMillis() + " ms");
    if (PHASES.contains("soak")) {
      // First: the history the speed phases run on (and the file ÷ live data at its end).
      soak();
    }
    background.start();

    // Decisions right after the soak: on its history with the background, as the targets are set. After the intake
    // phase thousands of its requests wait unanswered, and a quarter of an hour later their escalation timers all fall
    // due at once: a storm of its own, measured by the scale phase, not by the answer chain's figures.
    if (PHASES.contains("decisions")) {
      awaitDatabaseSettled();
      Path recording = out.resolve(database + "-decisions.jfr").toAbsolutePath();
      if (RECORD_DECISIONS) {
        jcmd("JFR.start", "name=decisions", "settings=profile", "filename=" + recording);
      }
      for (int run = 1; run <= RUNS; run++) {
        report.decision(run, "sms", decisions(true));
        report.decision(run, "api", decisions(false));
      }
      if (RECORD_DECISIONS) {
        jcmd("JFR.stop", "name=decisions");
        report.note("Flight recording of the decisions: " + recording);
      }
      report.note("Database file after the decisions: " + databaseMegabytes() + " MiB");
    }
    if (PHASES.contains("intake")) {
      System.out.println("Warming up for " + WARMUP_SECONDS + " s");
      load(new Intake(), CLIENTS, WARMUP_SECONDS);
      load(new EngineStart(), CLIENTS, WARMUP_SECONDS);
      drainJobs();
      for (int run = 1; run <= RUNS; run++) {
        // Alternating which goes first keeps drift (a growing database, a warmer JIT) from favouring one side.
        List<Workload> order = run % 2 == 1 ? List.of(new Intake(), new EngineStart()) : List.of(new EngineStart(), new Intake());
        for (Workload workload : order) {
          Load result = load(workload, CLIENTS, SECONDS);
          report.intake(run, workload.name(), CLIENTS, result);
          drainJobs();
        }
      }
      for (int clients : LOADS) {
        for (Workload workload : List.of(new Intake(), new EngineStart())) {
          report.latencyOverLoad(workload.name(), clients, load(workload, clients, Math.max(8, SECONDS / 2)));
          drainJobs();
        }
      }
      report.note("Database file after the intake runs: " + databaseMegabytes() + " MiB" + liveEstimate());
      // How long the housekeeping takes to bring the file back within its bound after the bursts (H2).
      awaitDatabaseSettled();
    }
    if (PHASES.contains("scale")) {
      atScale();
    }
    background.stop();
    report.background(background.latencies());
    report.write(out);
    return report.summary();
  }

  // ---- scale -------------------------------------------------------------------------------------------------

  private void atScale() throws Exception {
    long pendingNow = count("/engine-rest/process-instance/count?processDefinitionKey=deployment-approval");
    System.out.println("Pending requests: " + pendingNow + "; filling up to " + PENDING);
    Instant filling = Instant.now();
    AtomicInteger toCreate = new AtomicInteger((int) Math.max(0, PENDING - pendingNow));
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Thread client = new Thread(() -> {
        Intake intake = new Intake();
        while (toCreate.getAndDecrement() > 0) {
          intake.send();
        }
      });
      clients.add(client);
      client.start();
    }
    for (Thread client : clients) {
      client.join();
    }
    drainJobs();
    awaitDatabaseSettled();
    long atScale = count("/engine-rest/process-instance/count?processDefinitionKey=deployment-approval");
    report.note("Filled to " + atScale + " pending requests in " + Duration.between(filling, Instant.now()).toSeconds()
        + " s (jobs drained); database file " + databaseMegabytes() + " MiB");

    for (Workload workload : List.of(new Intake(), new EngineStart())) {
      report.intakeAtScale(workload.name(), load(workload, CLIENTS, SECONDS));
      drainJobs();
    }

    List<Long> lookups = new ArrayList<>();
    List<Long> smsLookups = new ArrayList<>();
    List<Pending> sample = new ArrayList<>(pending);
    Collections.shuffle(sample);
    for (int i = 0; i < Math.min(sample.size(), 20 * SAMPLES); i++) {
      Pending request = sample.get(i);
      long started = System.nanoTime();
      HttpResponse<String> answer = send(get("/api/approvals/" + request.id()).header("Authorization", basic("alice", "alice-password")));
      lookups.add(System.nanoTime() - started);
      expect(answer, 200);
    }
    for (int i = 0; i < Math.min(sample.size(), 5 * SAMPLES); i++) {
      // The requester answering their own request: the code is looked up, the answer checked and refused (and the refusal
      // recorded), the request stays pending.
      Pending request = sample.get(sample.size() - 1 - i);
      long started = System.nanoTime();
      HttpResponse<String> answer = sms(OCTOCAT_PHONE, "APPROVE " + request.code());
      smsLookups.add(System.nanoTime() - started);
      expect(answer, 200);
    }
    report.lookups(atScale, lookups, smsLookups);
    report.note("Database file after the measurements at scale: " + databaseMegabytes() + " MiB" + liveEstimate());

    jcmd("GC.run");
    report.heapAfterGc(atScale, heapUsedBytes());

    background.stop(); // nobody asks a node that is restarting
    for (int restart = 1; restart <= RUNS; restart++) {
      greenlight.stop(Duration.ofSeconds(60));
      Duration started = start();
      report.startUp(restart, atScale, started, startedInSecondsFromLog(), false);
    }
    greenlight.stop(Duration.ofSeconds(60));
    shareClasses();
    for (int restart = 1; restart <= RUNS; restart++) {
      Duration started = start();
      report.startUp(restart, atScale, started, startedInSecondsFromLog(), true);
      greenlight.stop(Duration.ofSeconds(60));
    }
  }

  /**
   * From here on the jar starts as docs/deployment.md shows for a faster start: extracted, with a class-data-sharing
   * archive written by a training run on this node's own database and settings.
   */
  private void shareClasses() throws Exception {
    Path extracted = workingDirectory.resolve("app");
    Process extract = new ProcessBuilder(GreenlightProcess.java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", extracted.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (extract.waitFor() != 0) {
      throw new IllegalStateException("Extracting the jar failed: " + extract.exitValue());
    }
    jar = extracted.resolve("greenlight.jar");
    Path archive = extracted.resolve("greenlight.jsa");
    startOptions = List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh");
    launch();
    int trained = greenlight.awaitExit(Duration.ofMinutes(5));
    if (trained != 0 || !Files.exists(archive)) {
      throw new IllegalStateException("The training run ended with " + trained + " and no archive; see target/bench.log");
    }
    startOptions = List.of("-XX:SharedArchiveFile=" + archive);
  }

  // ---- soak --------------------------------------------------------------------------------------------------

  /**
   * {@link #SOAK} requests, each answered as soon as it waits for an answer, by {@link #SOAK_CLIENTS} clients; every
   * twentieth of the way the database file's size, its live data (what {@code SHUTDOWN COMPACT} of a copy leaves) and
   * the decision latencies of that stretch (answer sent → approve call at CircleCI).
   */
  private void soak() throws Exception {
    drainJobs();
    int every = Math.max(SOAK / 20, 50);
    AtomicInteger started = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    List<Long> window = Collections.synchronizedList(new ArrayList<>());
    List<Report.SoakPoint> points = new ArrayList<>();
    long bytesBefore = databaseBytes();
    report.note("Soak: " + SOAK + " requests by " + SOAK_CLIENTS + " clients, "
        + (SOAK_RATE > 0 ? SOAK_RATE + " started per second" : "as fast as they go"));
    points.add(new Report.SoakPoint(0, bytesBefore, liveBytesOfCopy(), estimatedLiveBytes(), List.of()));
    Instant soaking = Instant.now();
    long soakStart = System.nanoTime();
    List<Thread> clients = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < SOAK_CLIENTS; c++) {
      Thread client = new Thread(() -> {
        Intake intake = new Intake();
        int next;
        while ((next = started.getAndIncrement()) < SOAK && failures.isEmpty()) {
          try {
            awaitTurn(soakStart, next);
            window.add(answerOne(intake));
            served.incrementAndGet();
          } catch (Exception | AssertionError e) {
            failures.add(e);
          }
        }
      }, "soak-" + c);
      clients.add(client);
      client.start();
    }
    int nextPoint = every;
    while (clients.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(200);
      if (served.get() >= nextPoint || clients.stream().noneMatch(Thread::isAlive)) {
        List<Long> latencies;
        synchronized (window) {
          latencies = new ArrayList<>(window);
          window.clear();
        }
        Report.SoakPoint point = new Report.SoakPoint(served.get(), databaseBytes(), liveBytesOfCopy(), estimatedLiveBytes(),
            latencies);
        points.add(point);
        report.soakPoint(point);
        nextPoint = served.get() + every;
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("The soak stopped: " + failures.get(0), failures.get(0));
    }
    drainJobs();
    report.soak(points, Duration.between(soaking, Instant.now()), bytesBefore);
    Thread.sleep(5_000);
    report.note("Database file 5 s after the soak, jobs drained: " + (databaseBytes() >> 20) + " MiB, live "
        + (liveBytesOfCopy() >> 20) + " MiB");
    greenlight.stop(Duration.ofSeconds(60));
    report.note("Database file after a clean stop (H2 compacts up to MAX_COMPACT_TIME on close): " + (databaseBytes() >> 20)
        + " MiB");
    Duration restarted = start();
    report.note("Restarted after the soak in " + restarted.toMillis() + " ms; file " + (databaseBytes() >> 20) + " MiB");
  }

  /** At a set rate, request number {@code n} starts {@code n / rate} seconds into the soak. */
  private static void awaitTurn(long soakStart, int n) throws InterruptedException {
    if (SOAK_RATE > 0) {
      long wait = soakStart + (long) (n * 1e9 / SOAK_RATE) - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
  }

  /** A new request, answered by Alice once it waits for answers; the time from the answer to the approve call (ns). */
  private long answerOne(Intake intake) throws Exception {
    return answerOne(intake, Duration.ofSeconds(120), 20);
  }

  /**
   * The same, looking every {@code pollMillis} whether it waits, for at most {@code atMost}: a background request may
   * wait behind a burst's backlog of jobs, and its polling should not add to the load being measured.
   */
  private long answerOne(Intake intake, Duration atMost, long pollMillis) throws Exception {
    String workflowId = UUID.randomUUID().toString();
    Pending request = intake.send(workflowId);
    if (request == null) {
      throw new IllegalStateException("Greenlight refused a request during the soak");
    }
    pending.remove(request);
    GreenlightProcess.awaitUntil(atMost, () -> "waiting".equals(stageOf(request.id())), pollMillis);
    CompletableFuture<Long> approveCall = approvals.computeIfAbsent(workflowId, id -> new CompletableFuture<>());
    long sent = System.nanoTime();
    expect(send(post("/api/approvals/" + request.id() + "/decision", "{\"decision\": \"approve\"}")
        .header("Authorization", basic("alice", "alice-password"))), 200);
    long latency = approveCall.get(60, TimeUnit.SECONDS) - sent;
    approvals.remove(workflowId);
    return latency;
  }

  private String stageOf(String id) {
    try {
      return JSON.readTree(send(get("/api/approvals/" + id).header("Authorization", basic("alice", "alice-password"))).body())
          .path("stage").asText();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * What {@code SHUTDOWN COMPACT} leaves of a copy of the database file: its live data. A copy taken while chunks are
   * being written or moved may not open; it is taken again.
   */
  private long liveBytesOfCopy() throws Exception {
    if (postgresDatabase != null) {
      return databaseBytes(); // PostgreSQL reclaims dead rows itself (autovacuum); its size is its live data and free space
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return liveBytesOfOneCopy();
      } catch (java.sql.SQLException torn) {
        if (attempt == 10) {
          throw torn;
        }
        Thread.sleep(200);
      }
    }
  }

  private long liveBytesOfOneCopy() throws Exception {
    Path copyDirectory = Files.createTempDirectory(workingDirectory, "live");
    Path copy = copyDirectory.resolve("copy.mv.db");
    Files.copy(workingDirectory.resolve("data").resolve("greenlight.mv.db"), copy);
    try {
      try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
          "jdbc:h2:file:" + copyDirectory.resolve("copy").toAbsolutePath(), "sa", "")) {
        connection.createStatement().execute("SHUTDOWN COMPACT");
      }
      return Files.size(copy);
    } finally {
      try (var files = Files.list(copyDirectory)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.delete(copyDirectory);
    }
  }

  // ---- decisions ---------------------------------------------------------------------------------------------

  /**
   * Latencies (ns) from sending an answer to the approve call at CircleCI, one request at a time; and of them, the time
   * until the answer was answered (it is committed by then) into {@code answered}.
   */
  private List<Long> decisions(boolean bySms) throws Exception {
    List<Long> latencies = new ArrayList<>();
    List<Long> answered = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      String workflowId = UUID.randomUUID().toString();
      Pending request = new Intake().send(workflowId);
      awaitDecisionTask(request.id());
      drainJobs(); // the approver answers a request whose notifications are out: nothing else is running
      CompletableFuture<Long> approveCall = approvals.computeIfAbsent(workflowId, id -> new CompletableFuture<>());
      long sent = System.nanoTime();
      HttpResponse<String> answer = bySms
          ? sms(ALICE_PHONE, "APPROVE " + request.code())
          : send(post("/api/approvals/" + request.id() + "/decision", "{\"decision\": \"approve\"}")
              .header("Authorization", basic("alice", "alice-password")));
      answered.add(System.nanoTime() - sent);
      expect(answer, 200);
      latencies.add(approveCall.get(30, TimeUnit.SECONDS) - sent);
      pending.remove(request);
    }
    drainJobs();
    report.answered(bySms ? "sms" : "api", answered);
    return latencies;
  }

  private void awaitDecisionTask(String id) throws Exception {
    GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () -> {
      try {
        JsonNode approval = JSON.readTree(send(get("/api/approvals/" + id)
            .header("Authorization", basic("alice", "alice-password"))).body());
        return approval.at("/links/tasklist").asText().contains("task=");
      } catch (IOException e) {
        return false;
      }
    });
  }

  // ---- load --------------------------------------------------------------------------------------------------

  /** Something the clients send over and over. */
  interface Workload {
    String name();

    /** One request; true when it was accepted. */
    boolean sendOne();
  }

  /** {@code POST /api/approvals}, each for a new gate the fake CircleCI holds. */
  final class Intake implements Workload {
    @Override
    public String name() {
      return "greenlight";
    }

    @Override
    public boolean sendOne() {
      return send() != null;
    }

    Pending send() {
      return send(UUID.randomUUID().toString());
    }

    Pending send(String workflowId) {
      circleCi.workflowOnHold(workflowId, "hold");
      HttpResponse<String> answer = sendQuietly(post("/api/approvals", """
          {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
           "branch": "main", "commit": "%s", "build_url": "https://app.circleci.com/pipelines/gh/acme/shop/1",
           "summary": "Release 2.4"}""".formatted(workflowId, FakeCircleCi.DEFAULT_REVISION))
          .header("Authorization", "Bearer " + API_KEY));
      if (answer == null || answer.statusCode() != 201) {
        return null;
      }
      try {
        JsonNode created = JSON.readTree(answer.body());
        Pending request = new Pending(created.get("id").asText(), created.get("code").asText());
        pending.add(request);
        return request;
      } catch (IOException e) {
        return null;
      }
    }
  }

  /** Camunda's own start of the same process with the same variables, through its REST API. */
  final class EngineStart implements Workload {
    @Override
    public String name() {
      return "engine-rest";
    }

    @Override
    public boolean sendOne() {
      String workflowId = UUID.randomUUID().toString();
      circleCi.workflowOnHold(workflowId, "hold");
      HttpResponse<String> answer = sendQuietly(post("/engine-rest/process-definition/key/deployment-approval/start", """
          {"businessKey": "gh/acme/shop/%s/hold", "variables": {
            "projectSlug": {"value": "gh/acme/shop"}, "workflowId": {"value": "%s"}, "approvalJob": {"value": "hold"},
            "requestedBy": {"value": "octocat"}, "branch": {"value": "main"}, "commit": {"value": "%s"},
            "buildUrl": {"value": "https://app.circleci.com/pipelines/gh/acme/shop/1"}, "summary": {"value": "Release 2.4"},
            "requestedApproverGroup": {"value": null, "type": "Null"}, "requestedThrough": {"value": "api"},
            "apiClient": {"value": "bench"}, "status": {"value": null, "type": "Null"},
            "decisions": {"value": "[]", "type": "Json"}}}""".formatted(workflowId, workflowId, FakeCircleCi.DEFAULT_REVISION))
          .header("Authorization", basic("admin", ADMIN_PASSWORD)));
      return answer != null && answer.statusCode() == 200;
    }
  }

  /** The figures of one load: accepted requests per second and every accepted request's latency (ns). */
  record Load(double perSecond, List<Long> latencies, int failed) {}

  private Load load(Workload workload, int clients, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread thread = new Thread(() -> {
        while (System.nanoTime() < deadline) {
          long sent = System.nanoTime();
          if (workload.sendOne()) {
            latencies.add(System.nanoTime() - sent);
          } else {
            failed.incrementAndGet();
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    Load result = new Load(latencies.size() / elapsed, new ArrayList<>(latencies), failed.get());
    System.out.printf("%-12s %2d clients: %7.1f/s, p50 %6.1f ms, p99 %6.1f ms, %d failed%n", workload.name(), clients,
        result.perSecond(), Report.percentile(result.latencies(), 50) / 1e6, Report.percentile(result.latencies(), 99) / 1e6,
        result.failed());
    return result;
  }

  // ---- the process under test --------------------------------------------------------------------------------

  /** Starts the jar (again, on the same database) and answers how long until it was healthy. */
  private Duration start() throws Exception {
    Path directory = workingDirectory.resolve("directory.yaml");
    Files.writeString(directory, """
        users:
          - { id: alice, email: alice@example.com, phone: "%s", password: alice-password, groups: [approvers] }
          - { id: bob, email: bob@example.com, phone: "+15551230002", password: bob-password, groups: [approvers] }
          - { id: octocat, phone: "%s", password: octocat-password, logins: [octocat], groups: [developers] }
        groups:
          - id: approvers
          - id: developers
        api-clients:
          - { id: bench, key: %s, projects: ["gh/acme/*"] }
        """.formatted(ALICE_PHONE, OCTOCAT_PHONE, API_KEY));
    List<String> arguments = new ArrayList<>(List.of(
        "--greenlight.directory-file=" + directory,
        "--greenlight.public-base-url=http://localhost:" + port,
        "--greenlight.admin.password=" + ADMIN_PASSWORD,
        "--greenlight.circleci.base-url=" + circleCi.baseUrl(),
        "--greenlight.circleci.token=" + FakeCircleCi.TOKEN,
        "--greenlight.twilio.base-url=" + twilio.baseUrl(),
        "--greenlight.twilio.account-sid=" + FakeTwilio.ACCOUNT_SID,
        "--greenlight.twilio.auth-token=" + FakeTwilio.AUTH_TOKEN,
        "--greenlight.twilio.from-number=" + FakeTwilio.FROM));
    if (postgresDatabase != null) {
      arguments.addAll(List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + POSTGRES + postgresDatabase,
          "--spring.datasource.username=postgres", "--spring.datasource.password="));
    }
    arguments.addAll(extraArguments());
    launchArguments = arguments;
    launch();
    return greenlight.awaitHealthy(Duration.ofMinutes(5));
  }

  private void launch() {
    List<String> jvmOptions = new ArrayList<>(List.of("-Xmx" + System.getProperty("bench.heap", "512m")));
    jvmOptions.addAll(startOptions);
    String extraJvm = System.getProperty("bench.jvm", "").trim();
    if (!extraJvm.isEmpty()) {
      jvmOptions.addAll(List.of(extraJvm.split("\\s+")));
    }
    greenlight = GreenlightProcess.start(jar, "bench", port, jvmOptions, launchArguments, workingDirectory);
  }

  /** {@code -Dbench.args="--a=b --c=d"}: settings to try without rebuilding. */
  private static List<String> extraArguments() {
    String extra = System.getProperty("bench.args", "").trim();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  private Double startedInSecondsFromLog() {
    Matcher started = Pattern.compile("Started \\S+ in ([0-9.]+) seconds").matcher(greenlight.output());
    Double last = null;
    while (started.find()) {
      last = Double.parseDouble(started.group(1));
    }
    return last;
  }

  private long databaseMegabytes() {
    return databaseBytes() >> 20;
  }

  private long databaseBytes() {
    if (postgresDatabase != null) {
      try (java.sql.Connection connection = java.sql.DriverManager.getConnection(POSTGRES + "test", "postgres", "");
           var size = connection.createStatement().executeQuery("select pg_database_size('" + postgresDatabase + "')")) {
        size.next();
        return size.getLong(1);
      } catch (java.sql.SQLException e) {
        return -1;
      }
    }
    try {
      return Files.size(workingDirectory.resolve("data").resolve("greenlight.mv.db"));
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * After a burst the H2 file holds much more than its live data until its housekeeping, which moves chunks only in
   * quiet moments, has shrunk it: part of the backlog, like the jobs. Waits until the file is within three times its
   * live data (the jar's own metrics), at most ten minutes, and says how long that took.
   */
  private void awaitDatabaseSettled() throws InterruptedException {
    if (postgresDatabase != null) {
      return;
    }
    Instant waiting = Instant.now();
    while (Duration.between(waiting, Instant.now()).toMinutes() < 10) {
      String metrics = send(get("/actuator/prometheus").header("Authorization", basic("alice", "alice-password"))).body();
      double file = metric(metrics, "greenlight_database_file_size_bytes");
      double live = metric(metrics, "greenlight_database_live_size_bytes");
      if (Double.isNaN(file) || file <= 3 * live || file < 32 << 20) {
        break;
      }
      if (Duration.between(waiting, Instant.now()).toSeconds() % 60 < 2) {
        // Once a minute: how far it is, and which share lags (chunks not rewritten, or holes not closed).
        System.out.printf("settling: file %.0f MiB, live %.0f MiB%n", file / (1 << 20), live / (1 << 20));
        estimatedLiveBytes();
      }
      Thread.sleep(2000);
    }
    report.note("Database file settled in " + Duration.between(waiting, Instant.now()).toSeconds() + " s: "
        + databaseMegabytes() + " MiB" + liveEstimate());
  }

  /** ", its live data about N MiB (the node's estimate)" on H2; nothing on PostgreSQL. */
  private String liveEstimate() {
    long live = estimatedLiveBytes();
    return live < 0 ? "" : ", its live data about " + (live >> 20) + " MiB (the node's own estimate)";
  }

  /**
   * The running node's own estimate of its live data (its metric); -1 where it has none (PostgreSQL). Printed with the
   * two shares it is made of (file used by chunks, chunks live), which say which part of the housekeeping lags.
   */
  private long estimatedLiveBytes() {
    String metrics = send(get("/actuator/prometheus").header("Authorization", basic("alice", "alice-password"))).body();
    double live = metric(metrics, "greenlight_database_live_size_bytes");
    System.out.printf("database: file %.0f%% used by chunks, chunks %.0f%% live; rewrite calls so far: %.0f rewrote, "
            + "%.0f found nothing, %.0f found the store busy, holding it %.1f ms on average, %.1f ms at most lately; "
            + "housekeeping %.0f s in all%n",
        metric(metrics, "greenlight_database_file_fill_percent"), metric(metrics, "greenlight_database_chunks_fill_percent"),
        metric(metrics, "greenlight_database_rewrites_total{outcome=\"rewrote\"}"),
        metric(metrics, "greenlight_database_rewrites_total{outcome=\"nothing-to-rewrite\"}"),
        metric(metrics, "greenlight_database_rewrites_total{outcome=\"store-busy\"}"),
        1000 * metric(metrics, "greenlight_database_rewrite_held_seconds_sum")
            / metric(metrics, "greenlight_database_rewrite_held_seconds_count"),
        1000 * metric(metrics, "greenlight_database_rewrite_held_seconds_max"),
        metric(metrics, "greenlight_database_maintenance_time_seconds_sum"));
    return Double.isNaN(live) ? -1 : (long) live;
  }

  private static double metric(String metrics, String name) {
    return metrics.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
        .findFirst().orElse(Double.NaN);
  }

  /**
   * Waits until the job executor has nothing due (notifications sent, steps done). Filling to 10,000 pending leaves
   * tens of thousands of notification jobs; on H2 with 4 MB rewrite calls they take longer than 15 minutes
   * (docs/benchmarks.md).
   */
  private void drainJobs() throws InterruptedException {
    GreenlightProcess.awaitUntil(Duration.ofMinutes(45),
        () -> count("/engine-rest/job/count?executable=true&withRetriesLeft=true") == 0);
  }

  private long count(String path) {
    try {
      return JSON.readTree(send(get(path).header("Authorization", basic("admin", ADMIN_PASSWORD))).body()).get("count").asLong();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private long heapUsedBytes() throws IOException {
    String metrics = send(get("/actuator/prometheus").header("Authorization", basic("alice", "alice-password"))).body();
    return (long) metrics.lines().filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private void jcmd(String... command) throws Exception {
    List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(greenlight.pid())));
    line.addAll(List.of(command));
    new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
        .waitFor(60, TimeUnit.SECONDS);
  }

  // ---- background --------------------------------------------------------------------------------------------

  private final Background background = new Background();

  /** {@link #BACKGROUND_RATE} new requests a second, each answered by Alice once it waits; their decision latencies. */
  final class Background {
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private java.util.concurrent.ScheduledExecutorService clock;
    private java.util.concurrent.ExecutorService clients;

    synchronized void start() {
      if (BACKGROUND_RATE <= 0 || clock != null) {
        return;
      }
      // Daemon threads: a run that fails ends its JVM instead of leaving the background asking a node that is gone.
      java.util.concurrent.ThreadFactory daemons = runnable -> {
        Thread thread = new Thread(runnable, "background");
        thread.setDaemon(true);
        return thread;
      };
      clients = java.util.concurrent.Executors.newCachedThreadPool(daemons);
      clock = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(daemons);
      clock.scheduleAtFixedRate(() -> clients.submit(() -> {
        try {
          latencies.add(answerOne(new Intake(), Duration.ofMinutes(30), 250));
        } catch (InterruptedException stopped) {
          Thread.currentThread().interrupt();
        } catch (Exception | AssertionError e) {
          System.out.println("background request failed: " + e);
        }
      }), 0, (long) (1e6 / BACKGROUND_RATE), TimeUnit.MICROSECONDS);
      report.note("Background: " + BACKGROUND_RATE + " new requests a second, each answered once it waits");
    }

    synchronized void stop() throws InterruptedException {
      if (clock == null) {
        return;
      }
      clock.shutdownNow();
      // Requests still waiting behind a backlog are given up (they stay pending), not waited for.
      clients.shutdownNow();
      clients.awaitTermination(1, TimeUnit.MINUTES);
      clock = null;
    }

    List<Long> latencies() {
      return List.copyOf(latencies);
    }
  }

  private HttpResponse<String> sms(String from, String body) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    form.put("AccountSid", FakeTwilio.ACCOUNT_SID);
    form.put("From", from);
    form.put("To", FakeTwilio.FROM);
    form.put("Body", body);
    String encoded = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/twilio/sms"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", FakeTwilio.sign("http://localhost:" + port + "/twilio/sms", form))
        .POST(HttpRequest.BodyPublishers.ofString(encoded)));
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60)).GET();
  }

  private HttpRequest.Builder post(String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    HttpResponse<String> answer = sendQuietly(request);
    if (answer == null) {
      throw new IllegalStateException("Greenlight did not answer " + request.build().uri());
    }
    return answer;
  }

  private HttpResponse<String> sendQuietly(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static void expect(HttpResponse<String> answer, int status) {
    if (answer.statusCode() != status) {
      throw new IllegalStateException(answer.uri() + " answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static int[] parseInts(String list) {
    return java.util.Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  private void close() throws InterruptedException {
    if (greenlight != null) {
      greenlight.stop(Duration.ofSeconds(60));
    }
    circleCi.close();
    twilio.close();
  }
}
