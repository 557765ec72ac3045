package io.greenlight.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.greenlight.engine.RetryAfterException;
import io.greenlight.testing.FakeCircleCi;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exact requests Greenlight sends to CircleCI, and how it reads CircleCI's answers. */
class CircleCiClientTest {

  private static final String WORKFLOW = "5034460f-c7c4-4c43-9457-de07e2029e7b";
  private static final FakeCircleCi circleCi = new FakeCircleCi();

  private final CircleCiClient client = new CircleCiClient(
      new CircleCiProperties(circleCi.baseUrl(), FakeCircleCi.TOKEN, Duration.ofSeconds(2), Duration.ofSeconds(2), null));

  @BeforeEach
  void freshCircleCi() {
    circleCi.reset();
  }

  @AfterAll
  static void stop() {
    circleCi.close();
  }

  @Test
  void listsEveryPageOfJobsWithTheCircleToken() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    circleCi.addJob(WORKFLOW, "smoke-test", "build", "blocked");
    circleCi.addJob(WORKFLOW, "notify", "build", "blocked");
    circleCi.pageSize(2);

    List<CircleCiJob> jobs = client.listWorkflowJobs(WORKFLOW, FakeCircleCi.TOKEN);

    assertThat(jobs).extracting(CircleCiJob::name).containsExactly("build", "hold", "deploy", "smoke-test", "notify");
    assertThat(circleCi.requests()).extracting(FakeCircleCi.Recorded::query).containsExactly(null, "page-token=page2", "page-token=page4");
    assertThat(circleCi.requests()).allSatisfy(request -> {
      assertThat(request.method()).isEqualTo("GET");
      assertThat(request.path()).isEqualTo("/api/v2/workflow/" + WORKFLOW + "/job");
      assertThat(request.circleToken()).isEqualTo(FakeCircleCi.TOKEN);
    });
  }

  @Test
  void readsWhoTriggeredThePipelineAndWhatItBuilds() {
    circleCi.workflowOnHold(WORKFLOW, "hold");
    circleCi.triggeredBy(WORKFLOW, "mona", "release/2.4", FakeCircleCi.DEFAULT_REVISION);

    assertThat(client.pipelineOf(WORKFLOW, FakeCircleCi.TOKEN))
        .contains(new PipelineFacts("mona", "release/2.4", FakeCircleCi.DEFAULT_REVISION));
    assertThat(circleCi.requests()).extracting(FakeCircleCi.Recorded::path)
        .containsExactly("/api/v2/workflow/" + WORKFLOW, circleCi.requests().get(1).path());
    assertThat(circleCi.requests().get(1).path()).matches("/api/v2/pipeline/[0-9a-f-]{36}");
    assertThat(circleCi.requests()).allSatisfy(request -> assertThat(request.circleToken()).isEqualTo(FakeCircleCi.TOKEN));

    circleCi.triggeredBy(WORKFLOW, "mona", null, FakeCircleCi.DEFAULT_REVISION);
    assertThat(client.pipelineOf(WORKFLOW, FakeCircleCi.TOKEN)).as("a tag build has no branch")
        .contains(new PipelineFacts("mona", null, FakeCircleCi.DEFAULT_REVISION));
    assertThat(client.pipelineOf("00000000-0000-0000-0000-000000000000", FakeCircleCi.TOKEN)).isEmpty();
  }

  @Test
  void readsTheApprovalJobAndItsRequestId() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");

    CircleCiJob hold = client.listWorkflowJobs(WORKFLOW, FakeCircleCi.TOKEN).get(1);

    assertThat(hold.isApproval()).isTrue();
    assertThat(hold.isOnHold()).isTrue();
    assertThat(hold.approvalRequestId()).isEqualTo(approvalRequestId);
  }

  @Test
  void anUnknownWorkflowHasNoJobs() {
    assertThat(client.listWorkflowJobs(WORKFLOW, FakeCircleCi.TOKEN)).isEmpty();
  }

  @Test
  void approvesWithAnEmptyPostToTheApprovalRequest() {
    String approvalRequestId = circleCi.workflowOnHold(WORKFLOW, "hold");

    CircleCiAnswer answer = client.approve(WORKFLOW, approvalRequestId, FakeCircleCi.TOKEN);

    assertThat(answer.statusCode()).isEqualTo(202);
    FakeCircleCi.Recorded approve = circleCi.requests().get(0);
    assertThat(approve.method()).isEqualTo("POST");
    assertThat(approve.path()).isEqualTo("/api/v2/workflow/" + WORKFLOW + "/approve/" + approvalRequestId);
    assertThat(approve.circleToken()).isEqualTo(FakeCircleCi.TOKEN);
    assertThat(approve.body()).isEmpty();
    assertThat(circleCi.jobStatus(WORKFLOW, "hold")).isEqualTo("success");
  }

  @Test
  void cancelsTheWorkflow() {
    circleCi.workflowOnHold(WORKFLOW, "hold");

    CircleCiAnswer answer = client.cancel(WORKFLOW, FakeCircleCi.TOKEN);

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(circleCi.requests().get(0).path()).isEqualTo("/api/v2/workflow/" + WORKFLOW + "/cancel");
    assertThat(circleCi.requests().get(0).body()).isEmpty();
    assertThat(circleCi.jobStatus(WORKFLOW, "deploy")).isEqualTo("canceled");
  }

  @Test
  void rateLimitingAsksToComeBackAfterRetryAfter() {
    circleCi.failNext(1, 429, "120");

    assertThatThrownBy(() -> client.listWorkflowJobs(WORKFLOW, FakeCircleCi.TOKEN))
        .isInstanceOfSatisfying(RetryAfterException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
  }

  @Test
  void serverErrorsAndRefusedTokensAreWorthRetrying() {
    circleCi.failNext(1, 503, null);
    assertThatThrownBy(() -> client.listWorkflowJobs(WORKFLOW, FakeCircleCi.TOKEN))
        .isInstanceOf(CircleCiUnavailableException.class).hasMessageContaining("503");

    assertThatThrownBy(() -> client.listWorkflowJobs(WORKFLOW, "a-revoked-token"))
        .isInstanceOf(CircleCiUnavailableException.class).hasMessageContaining("401")
        .hasMessageNotContaining("a-revoked-token");
  }

  @Test
  void aBadRequestIsRefusedForGood() {
    circleCi.failNext(1, 400, null);

    assertThatThrownBy(() -> client.cancel(WORKFLOW, FakeCircleCi.TOKEN))
        .isInstanceOfSatisfying(CircleCiRefusedException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
  }

  @Test
  void anUnreachableCircleCiIsWorthRetrying() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CircleCiClient unreachable = new CircleCiClient(new CircleCiProperties(
        "http://127.0.0.1:" + closedPort + "/api/v2", FakeCircleCi.TOKEN, Duration.ofSeconds(1), Duration.ofSeconds(1), null));

    assertThatThrownBy(() -> unreachable.listWorkflowJobs(WORKFLOW, FakeCircleCi.TOKEN))
        .isInstanceOf(CircleCiUnavailableException.class).hasMessageContaining("did not answer");
  }

  @Test
  void retryAfterIsReadAsSecondsOrAsADate() {
    assertThat(RetryAfterException.parse("30")).isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfterException.parse(null)).isEqualTo(Duration.ofSeconds(60));
    assertThat(RetryAfterException.parse("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(RetryAfterException.parse("86400")).isEqualTo(Duration.ofHours(1));
  }
}
