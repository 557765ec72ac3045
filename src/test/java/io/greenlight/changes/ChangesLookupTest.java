package io.greenlight.changes;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.CHANGES;
import static io.greenlight.approval.ApprovalVariables.CHANGES_UNKNOWN;
import static io.greenlight.approval.ApprovalVariables.COMMIT;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ChangeSummary;
import io.greenlight.approval.ApprovalView.Changes;
import io.greenlight.approval.ApprovalView.Commit;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.changes.LastApprovedDeploys.LastApproved;
import io.greenlight.github.GitHubUnavailableException;
import io.greenlight.testing.FakeGitHub.PushedCommit;
import io.greenlight.testing.GreenlightApplicationTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The change a request deploys, looked up on a fake GitHub over HTTP: the application's own {@code lookUpChanges} and
 * {@code lastApprovedDeploys} beans, driven by a stand-in process that wires them as the approval diagram does (the
 * look-up an async service task, the remembering an end listener of "Deployment approved"). Each instance is one
 * request of a gate that gets approved; each test uses repositories of its own.
 */
class ChangesLookupTest extends GreenlightApplicationTest {

  private static final String STAND_IN = "changes-lookup-stand-in";
  private static final AtomicLong REPOSITORIES = new AtomicLong();

  @Autowired
  private RepositoryService repository;

  @Autowired
  private RuntimeService runtime;

  @Autowired
  private HistoryService history;

  @Autowired
  private LastApprovedDeploys lastApproved;

  private String deploymentId;

  @BeforeEach
  void deployTheStandIn() {
    BpmnModelInstance model = Bpmn.createExecutableProcess(STAND_IN).camundaHistoryTimeToLive(1)
        .startEvent()
        // As the diagram's "Look up the change again": a job of its own, whose failures are retried.
        .serviceTask("LookUpChangesAgain").name("Look up the change again").camundaAsyncBefore()
        .camundaDelegateExpression("${lookUpChanges}")
        .endEvent("DeploymentApproved").name("Deployment approved")
        .camundaExecutionListenerExpression("end", "${lastApprovedDeploys.remember(execution)}")
        .done();
    deploymentId = repository.createDeployment().addModelInstance(STAND_IN + ".bpmn", model).deploy().getId();
  }

  @AfterEach
  void removeTheStandInWithItsRequests() {
    repository.deleteDeployment(deploymentId, true);
  }

  @Test
  void theFirstApprovedDeployOfAGateHasNoKnownChangeAndBecomesItsBase() {
    String repo = newRepository();
    String base = push(repo, 1, "alice-gh", "alice-gh").get(0).sha();

    String first = deploy("gh/" + repo, "production", base, "alice");

    assertThat(changes(first)).isNull();
    assertThat(unknown(first)).isEqualTo("No earlier deploy of this gate was approved in Greenlight.");
    assertThat(github.changeRequests()).as("nothing to compare with: GitHub is not asked").isEmpty();
    assertThat(lastApproved.of("GH/" + repo.toUpperCase(), "production")).hasValueSatisfying(last -> {
      assertThat(last.commit()).isEqualTo(base);
      assertThat(last.requestId()).isEqualTo(first);
      assertThat(last.approvers()).containsExactly("alice");
      assertThat(last.approvedAt()).isNotNull();
    });
    assertThat(lastApproved.of("gh/" + repo, "staging")).as("another environment is another gate").isEmpty();
  }

  @Test
  void theChangeSinceTheLastApprovedDeployNamesItsCommitsAuthorsAndComparePage() {
    String repo = newRepository();
    String base = push(repo, 1, "alice-gh", "alice-gh").get(0).sha();
    List<PushedCommit> pushed = new ArrayList<>();
    pushed.add(new PushedCommit(sha(), "bob-gh", "Bob", "carol-gh", "Fix the thing\n\nIt was broken on Tuesdays."));
    pushed.add(new PushedCommit(sha(), null, "Dee Vendor", "bob-gh", "Vendor drop\r\n"));
    pushed.add(new PushedCommit(sha(), "carol-gh", "Carol", "carol-gh", "Add the feature"));
    pushed.add(new PushedCommit(sha(), "alice-gh", "Alice", "alice-gh", "Bump the version"));
    github.push(repo, pushed);
    String approvedBefore = deploy("gh/" + repo, "production", base, "alice", "bob");
    String head = pushed.get(3).sha();

    String now = deploy("gh/" + repo, "production", head, "carol");

    Changes changes = changes(now);
    assertThat(unknown(now)).isNull();
    assertThat(changes.sinceCommit()).isEqualTo(base);
    assertThat(changes.sinceRequest()).isEqualTo(approvedBefore);
    assertThat(changes.sinceApprovedBy()).containsExactly("alice", "bob");
    assertThat(changes.commits()).isEqualTo(4);
    assertThat(changes.truncated()).isFalse();
    assertThat(changes.authors()).containsExactly("alice-gh", "bob-gh", "carol-gh");
    assertThat(changes.compareUrl()).isEqualTo("https://github.com/" + repo + "/compare/" + base + "..." + head);
    assertThat(changes.list()).as("newest first; the git author's name where the commit has no login").containsExactly(
        new Commit(head, "alice-gh", "Bump the version"),
        new Commit(pushed.get(2).sha(), "carol-gh", "Add the feature"),
        new Commit(pushed.get(1).sha(), "Dee Vendor", "Vendor drop"),
        new Commit(pushed.get(0).sha(), "bob-gh", "Fix the thing"));
    assertThat(github.compareQueries(repo)).containsExactly("per_page=100&page=1");
    assertThat(lastApproved.of("gh/" + repo, "production")).map(LastApproved::commit).hasValue(head);

    ApprovalView view = viewWith(changes);
    assertThat(ChangeSummary.shortLine(view))
        .isEqualTo("4 commits by alice-gh, bob-gh and carol-gh since the deploy alice and bob approved (" + base.substring(0, 7) + ").");
    assertThat(ChangeSummary.lines(view, 2)).containsExactly(head.substring(0, 7) + " alice-gh: Bump the version",
        pushed.get(2).sha().substring(0, 7) + " carol-gh: Add the feature");
  }

  @Test
  void everyPageOfALongRangeIsReadAndItsAuthorsCountedBeyondTheListedTwenty() {
    String repo = newRepository();
    String base = push(repo, 1, "alice-gh", "alice-gh").get(0).sha();
    List<PushedCommit> range = new ArrayList<>(push(repo, 1, "early-gh", "early-gh"));
    range.addAll(push(repo, 129, "dev-gh", "dev-gh"));
    deploy("gh/" + repo, "production", base, "alice");

    Changes changes = changes(deploy("gh/" + repo, "production", range.get(129).sha(), "alice"));

    assertThat(changes.commits()).isEqualTo(130);
    assertThat(changes.truncated()).isFalse();
    assertThat(changes.count()).isEqualTo("130");
    assertThat(changes.authors()).containsExactly("dev-gh", "early-gh");
    assertThat(changes.list()).hasSize(ApprovalView.Changes.LISTED);
    assertThat(changes.list().get(0).sha()).isEqualTo(range.get(129).sha());
    assertThat(changes.list().get(19).sha()).isEqualTo(range.get(110).sha());
    assertThat(github.compareQueries(repo)).containsExactly("per_page=100&page=1", "per_page=100&page=2");
  }

  @Test
  void moreThan250CommitsAreCountedAs250PlusAndEveryPageIsReadForItsAuthors() {
    String repo = newRepository();
    String base = push(repo, 1, "alice-gh", "alice-gh").get(0).sha();
    List<PushedCommit> range = push(repo, 300, "dev-gh", "dev-gh");
    deploy("gh/" + repo, "production", base, "alice");

    Changes changes = changes(deploy("gh/" + repo, "production", range.get(299).sha(), "alice"));

    assertThat(changes.truncated()).isTrue();
    assertThat(changes.commits()).isEqualTo(250);
    assertThat(changes.count()).isEqualTo("250+");
    assertThat(changes.list()).hasSize(20);
    assertThat(changes.list().get(0).sha()).as("the newest of the range").isEqualTo(range.get(299).sha());
    assertThat(changes.authorsComplete()).isTrue();
    assertThat(github.compareQueries(repo)).containsExactly("per_page=100&page=1", "per_page=100&page=2",
        "per_page=100&page=3");
    assertThat(ChangeSummary.shortLine(viewWith(changes))).startsWith("250+ commits by dev-gh since the deploy alice approved");
  }

  /** Beyond a thousand commits the authors are those read (so far), and the newest page gives the list. */
  @Test
  void aRangeLongerThanWhatIsReadHasIncompleteAuthorsAndItsNewestListed() {
    String repo = newRepository();
    String base = push(repo, 1, "alice-gh", "alice-gh").get(0).sha();
    List<PushedCommit> range = push(repo, 1_050, "dev-gh", "dev-gh");
    deploy("gh/" + repo, "production", base, "alice");

    Changes changes = changes(deploy("gh/" + repo, "production", range.get(1_049).sha(), "alice"));

    assertThat(changes.count()).isEqualTo("250+");
    assertThat(changes.authorsComplete()).isFalse();
    assertThat(changes.list().get(0).sha()).isEqualTo(range.get(1_049).sha());
    assertThat(github.compareQueries(repo)).hasSize(11).last().isEqualTo("per_page=100&page=11");
  }

  @Test
  void withoutTheAppInstalledOnTheRepositoryTheChangeIsUnknownAndNothingIsCompared() {
    String repo = newRepository();
    List<PushedCommit> pushed = push(repo, 2, "bob-gh", "bob-gh");
    deploy("gh/" + repo, "production", pushed.get(0).sha(), "alice");
    github.notInstalledOn(repo);

    String id = deploy("gh/" + repo, "production", pushed.get(1).sha(), "alice");

    assertThat(changes(id)).isNull();
    assertThat(unknown(id)).isEqualTo("The GitHub App is not installed on " + repo + ".");
    assertThat(github.changeRequests()).containsExactly("GET /repos/" + repo + "/installation");
    assertThat(ChangeSummary.shortLine(viewWith(null), unknown(id)))
        .isEqualTo("Changes since the last approved deploy: unknown. The GitHub App is not installed on " + repo + ".");
  }

  @Test
  void gitHubFailingIsThrownForTheJobToRetryAndNothingIsRecordedUntilItAnswers() {
    String repo = newRepository();
    List<PushedCommit> pushed = push(repo, 3, "bob-gh", "bob-gh");
    String approvedBefore = deploy("gh/" + repo, "production", pushed.get(0).sha(), "alice");
    String id = start("gh/" + repo, "production", pushed.get(2).sha(), "alice");
    github.failNextCompare(500);

    Throwable failed = catchThrowable(() -> management.executeJob(lookUpJob(id).getId()));

    assertThat(failed).isInstanceOf(GitHubUnavailableException.class).hasMessageContaining("500");
    assertThat(runtime.getVariables(id)).doesNotContainKeys(CHANGES, CHANGES_UNKNOWN);
    assertThat(lastApproved.of("gh/" + repo, "production")).map(LastApproved::requestId).hasValue(approvedBefore);
    assertThat(lookUpJob(id).getExceptionMessage()).contains("500");

    management.executeJob(lookUpJob(id).getId());

    assertThat(changes(id).commits()).as("the retry finds the change").isEqualTo(2);
  }

  @Test
  void redeployingTheLastApprovedCommitIsNoChangeAndAsksGitHubNothing() {
    String repo = newRepository();
    String commit = push(repo, 1, "bob-gh", "bob-gh").get(0).sha();
    String approvedBefore = deploy("gh/" + repo, "production", commit, "alice");

    Changes changes = changes(deploy("gh/" + repo, "production", commit.substring(0, 7).toUpperCase(), "bob"));

    assertThat(changes).isEqualTo(new Changes(commit, approvedBefore, List.of("alice"), 0, false, List.of(), null, List.of()));
    assertThat(github.changeRequests()).isEmpty();
    assertThat(ChangeSummary.shortLine(viewWith(changes)))
        .isEqualTo("No new commits since the deploy alice approved (" + commit.substring(0, 7) + ").");
  }

  @Test
  void aCommitGitHubDoesNotKnowLeavesTheChangeUnknownWithoutRetrying() {
    String repo = newRepository();
    String rewrittenAway = sha();
    String head = push(repo, 1, "bob-gh", "bob-gh").get(0).sha();
    deploy("gh/" + repo, "production", rewrittenAway, "alice");

    String id = deploy("gh/" + repo, "production", head, "alice");

    assertThat(changes(id)).isNull();
    assertThat(unknown(id)).isEqualTo("GitHub does not know commit " + rewrittenAway.substring(0, 7) + " or "
        + head.substring(0, 7) + " in " + repo + ".");
  }

  @Test
  void projectsNotOnGitHubAndRequestsWithoutACommitHaveNoKnownChange() {
    String bitbucket = deploy("bb/acme/shop", "production", sha(), "alice");
    String dots = deploy("gh/acme/..", "production", sha(), "alice");
    String repo = newRepository();
    String base = push(repo, 1, "bob-gh", "bob-gh").get(0).sha();
    deploy("gh/" + repo, "production", base, "alice");
    String noCommit = deploy("gh/" + repo, "production", null, "alice");

    assertThat(changes(bitbucket)).isNull();
    assertThat(unknown(bitbucket)).isEqualTo("The project is not on GitHub.");
    assertThat(unknown(dots)).as("no path of dots reaches GitHub with the App's token").isEqualTo("The project is not on GitHub.");
    assertThat(changes(noCommit)).isNull();
    assertThat(unknown(noCommit)).isEqualTo("The request names no commit.");
    assertThat(lastApproved.of("gh/" + repo, "production")).as("a deploy without a commit is no base")
        .map(LastApproved::commit).hasValue(base);
  }

  /** A request of the gate that gets approved by {@code approvers}: started, its change looked up, remembered. */
  private String deploy(String projectSlug, String environment, String commit, String... approvers) {
    String id = start(projectSlug, environment, commit, approvers);
    management.executeJob(lookUpJob(id).getId());
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(id).count()).as("approved and ended").isZero();
    return id;
  }

  private String start(String projectSlug, String environment, String commit, String... approvers) {
    List<Decision> decisions = new ArrayList<>();
    for (String approver : approvers) {
      decisions.add(new Decision(approver, Decision.APPROVE, "api", null, Instant.now()));
    }
    // Someone's reject that did not decide (a rule elsewhere was met): not an approver of the deploy.
    decisions.add(new Decision("mallory", Decision.REJECT, "sms", "no", Instant.now()));
    Map<String, Object> variables = new HashMap<>();
    variables.put(PROJECT_SLUG, projectSlug);
    variables.put(APPROVAL_JOB, environment);
    variables.put(COMMIT, commit);
    variables.put(DECISIONS, JsonVariables.json(decisions));
    return runtime.startProcessInstanceByKey(STAND_IN, variables).getId();
  }

  private Job lookUpJob(String id) {
    return management.createJobQuery().processInstanceId(id).singleResult();
  }

  /** The request's change as the API's view reads it: the typed value from the history, never deserialized by Spin. */
  private Changes changes(String id) {
    HistoricVariableInstance changes = variable(id, CHANGES);
    assertThat(changes).as("the look-up sets changes, null or not").isNotNull();
    return JsonVariables.read(changes.getTypedValue(), Changes.class);
  }

  private String unknown(String id) {
    HistoricVariableInstance unknown = variable(id, CHANGES_UNKNOWN);
    return unknown == null ? null : (String) unknown.getValue();
  }

  private HistoricVariableInstance variable(String id, String name) {
    return history.createHistoricVariableInstanceQuery().processInstanceId(id).variableName(name)
        .disableCustomObjectDeserialization().singleResult();
  }

  private static String newRepository() {
    return "acme/changes-" + REPOSITORIES.incrementAndGet();
  }

  /** {@code count} new commits on {@code repo}, by one author and committer. */
  private static List<PushedCommit> push(String repo, int count, String author, String committer) {
    List<PushedCommit> commits = IntStream.range(0, count)
        .mapToObj(i -> new PushedCommit(sha(), author, author.replace("-gh", ""), committer, "Change " + i)).toList();
    github.push(repo, commits);
    return commits;
  }

  /** A new commit id, whose abbreviation (7 digits) is its own too. */
  private static String sha() {
    return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 40);
  }

  private static ApprovalView viewWith(Changes changes) {
    return new ApprovalView(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, changes, null, null, null, null, null, null);
  }
}
