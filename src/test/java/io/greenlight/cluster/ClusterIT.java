package io.greenlight.cluster;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static io.greenlight.testing.GreenlightProcess.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.GreenlightProcess;
import io.greenlight.testing.GreenlightTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Greenlight nodes (separate JVMs of the packaged jar) on one PostgreSQL database, a fake CircleCI on
 * loopback. Requests and answers go to both nodes; one node is killed right after taking answers; the other
 * finishes every request, with exactly one CircleCI approve call each. Skipped, saying so, without PostgreSQL.
 */
class ClusterIT {

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String KEY = "cluster-key-0123456789abcdef";
  private static final int REQUESTS = 6;

  private static final String SCHEMA = "greenlight_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static FakeCircleCi circleCi;
  private static GreenlightProcess nodeA;
  private static GreenlightProcess nodeB;
  private static int portA;
  private static int portB;

  @BeforeAll
  static void startTwoNodes() throws Exception {
    Assumptions.assumeTrue(postgresReachable(),
        "PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres, database test): the cluster test is skipped");
    sql("create schema " + SCHEMA);
    circleCi = new FakeCircleCi();
    Path directory = GreenlightProcess.twoApproversDirectory(Files.createTempFile("cluster-directory", ".yaml"), KEY);
    portA = GreenlightProcess.freePort();
    portB = GreenlightProcess.freePort();
    nodeA = startNode("a", portA, directory);
    nodeA.awaitHealthy(Duration.ofSeconds(90));
    nodeB = startNode("b", portB, directory); // after A: A has created the schema and deployed the models
    nodeB.awaitHealthy(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (GreenlightProcess node : new GreenlightProcess[] {nodeA, nodeB}) {
      if (node != null) {
        node.kill();
      }
    }
    if (circleCi != null) {
      circleCi.close();
      sql("drop schema " + SCHEMA + " cascade");
    }
  }

  @Test
  void theSurvivingNodeFinishesEveryRequestWithOneCircleCiCallEach() throws Exception {
    GreenlightTestClient a = new GreenlightTestClient(portA);
    GreenlightTestClient b = new GreenlightTestClient(portB);
    List<String> ids = new ArrayList<>();
    List<String> workflows = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    for (int i = 0; i < REQUESTS; i++) {
      String workflowId = UUID.randomUUID().toString();
      circleCi.workflowOnHold(workflowId, "hold");
      JsonNode created = (i % 2 == 0 ? a : b).postJson("/api/approvals", bearer(KEY), """
          {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat"}
          """.formatted(workflowId)).body();
      ids.add(created.get("id").asText());
      codes.add(created.get("code").asText());
      workflows.add(workflowId);
    }
    assertThat(codes).as("SMS codes are unique across nodes").hasSize(REQUESTS);
    for (String id : ids) {
      awaitUntil(Duration.ofSeconds(60), () -> b.get("/api/approvals/" + id, bearer(KEY)).body().get("links").get("tasklist")
          .asText().contains("task="));
    }

    for (int i = 0; i < REQUESTS; i++) {
      GreenlightTestClient node = i % 2 == 0 ? a : b;
      String approver = i % 2 == 0 ? "alice" : "bob";
      assertThat(node.postJson("/api/approvals/" + ids.get(i) + "/decision", basic(approver, approver + "-password"),
          "{\"decision\": \"approve\"}").status()).isEqualTo(200);
    }
    nodeA.kill(); // kill -9, mid-flight: A may hold approve jobs locked

    for (String id : ids) {
      awaitUntil(Duration.ofSeconds(90), () -> !"PENDING".equals(b.get("/api/approvals/" + id, bearer(KEY)).body().get("status").asText()));
    }
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(circleCi.requests("POST", "/workflow/" + workflows.get(i) + "/approve/"))
          .as("approve calls for request %s", ids.get(i)).hasSize(1);
      assertThat(circleCi.jobStatus(workflows.get(i), "hold")).isEqualTo("success");
    }
  }

  private static GreenlightProcess startNode(String name, int port, Path directory) {
    return GreenlightProcess.start("cluster-node-" + name, port, List.of(
        "--spring.profiles.active=postgres",
        "--spring.datasource.url=" + PG + "?currentSchema=" + SCHEMA,
        "--spring.datasource.username=postgres",
        "--spring.datasource.password=",
        // Its own schema in the shared test database: Camunda must look for its tables there, not in any schema.
        "--camunda.bpm.database.schema-name=" + SCHEMA,
        "--camunda.bpm.database.table-prefix=" + SCHEMA + ".",
        "--greenlight.directory-file=" + directory,
        "--greenlight.public-base-url=http://127.0.0.1:" + port,
        "--greenlight.circleci.base-url=" + circleCi.baseUrl(),
        "--greenlight.circleci.token=" + FakeCircleCi.TOKEN,
        "--greenlight.admin.password=cluster-admin",
        // A dead node's locked jobs are taken over after the lock time: short here, minutes in production.
        "--camunda.bpm.job-execution.lock-time-in-millis=10000",
        "--camunda.bpm.job-execution.max-wait=2000"));
  }

  private static boolean postgresReachable() {
    try (Connection ignored = DriverManager.getConnection(PG, "postgres", "")) {
      return true;
    } catch (SQLException e) {
      System.out.println("ClusterIT SKIPPED: PostgreSQL is not reachable at 127.0.0.1:5432 (" + e.getMessage() + ")");
      return false;
    }
  }

  private static void sql(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection(PG, "postgres", "")) {
      connection.createStatement().execute(statement);
    }
  }
}
