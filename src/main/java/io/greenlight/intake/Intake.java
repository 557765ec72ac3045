package io.greenlight.intake;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.BusinessKey;
import io.greenlight.approval.GateKinds;
import io.greenlight.circleci.BuildLinks;
import io.greenlight.circleci.CircleCiGateKind;
import io.greenlight.circleci.BuildLinks.BuildLink;
import io.greenlight.directory.ApiClientAccess;
import io.greenlight.web.ApiException;
import io.greenlight.web.DatabaseLink;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import io.greenlight.approval.JsonVariables;
import io.greenlight.metrics.GreenlightMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import io.greenlight.notify.CheckApprovers;
import io.greenlight.routing.RoutingTable;
import io.greenlight.answer.ApprovalCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * Turns a pipeline's request into a running {@code deployment-approval}: one gate, one request. The
 * same gate asked again while its request is pending gets that request back.
 */
@Component
public class Intake {

  /** Requests made with {@code POST /api/approvals}. */
  public static final String API = "api";
  /** Requests made by the xMatters orb's {@code notify} step, which ignores the answer. */
  public static final String XMATTERS = "xmatters";
  /** Requests made by GitHub's {@code deployment_protection_rule} webhook, which ignores the answer too. */
  public static final String GITHUB = "github";

  private static final Logger log = LoggerFactory.getLogger(Intake.class);
  /** The GitHub App stands for no API client: it may ask for its own repositories' gates. */
  private static final ApiClientAccess GITHUB_APP = new ApiClientAccess("github-app", List.of("gh/*/*"));

  private final RuntimeService runtime;
  private final HistoryService history;
  private final ApprovalRequests approvals;
  private final ApprovalCodes codes;
  private final CheckApprovers checkApprovers;
  private final RoutingTable routing;
  private final TransactionTemplate transaction;
  private final BuildLinks buildLinks;
  private final DatabaseLink database;
  /** One lock per workflow being asked for right now (none kept for idle workflows). */
  private final ConcurrentHashMap<String, WorkflowLock> workflowLocks = new ConcurrentHashMap<>();

  public Intake(RuntimeService runtime, HistoryService history, ApprovalRequests approvals, ApprovalCodes codes,
                CheckApprovers checkApprovers, RoutingTable routing, TransactionTemplate transaction, BuildLinks buildLinks,
                DatabaseLink database) {
    this.runtime = runtime;
    this.history = history;
    this.approvals = approvals;
    this.codes = codes;
    this.checkApprovers = checkApprovers;
    this.routing = routing;
    this.transaction = transaction;
    this.buildLinks = buildLinks;
    this.database = database;
  }

  public record Outcome(ApprovalView approval, boolean created) {}

  /**
   * The answer {@code client} may read: a new request as it was made for it; the pending request of the same gate with
   * its SMS code only when this client asked for it (another key that covers the project gets it without).
   */
  public ApprovalView asAnsweredTo(Outcome outcome, ApiClientAccess client) {
    if (outcome.created() || outcome.approval().code() == null) {
      return outcome.approval();
    }
    var asked = history.createHistoricVariableInstanceQuery().processInstanceId(outcome.approval().id())
        .variableName(API_CLIENT).disableCustomObjectDeserialization().singleResult();
    return asked != null && client.id().equals(asked.getValue()) ? outcome.approval() : outcome.approval().withoutCode();
  }

  /**
   * Requests for one workflow are taken one at a time on a node, each committed before the next is looked at, so
   * racing retries of one pipeline step cannot start two; across nodes, the gate's unique row does the same. Requests
   * for other workflows never wait for them (each workflow has a lock of its own, not one shared with others). Nothing
   * waits for a database known to be unreachable: the request is answered 503 at once, and a request waiting for its
   * workflow's lock gives up as soon as the database is lost, or after {@link #LONGEST_WAIT}.
   */
  public Outcome request(ApprovalRequest request, ApiClientAccess client, String channel) {
    return oneAtATime(request, () -> requestOneAtATime(request, client, channel));
  }

  /** How long a request waits for another request of the same workflow on this node before it is answered 503. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

  private static final class WorkflowLock {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  private <T> T oneAtATime(ApprovalRequest request, Supplier<T> work) {
    refuseWithoutDatabase();
    // The same key for one workflow whatever the job name and the case of the ids.
    String workflow = BusinessKey.of(request.projectSlug(), request.workflowId(), null);
    WorkflowLock entry = workflowLocks.compute(workflow, (key, existing) -> {
      WorkflowLock lock = existing == null ? new WorkflowLock() : existing;
      lock.users++;
      return lock;
    });
    try {
      long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
      while (!entry.lock.tryLock(250, TimeUnit.MILLISECONDS)) {
        refuseWithoutDatabase();
        if (System.nanoTime() > deadline) {
          throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", null,
              "Another request for this workflow is still being taken; nothing was changed. Try again shortly.");
        }
      }
      try {
        return work.get();
      } finally {
        entry.lock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", null, "Greenlight is stopping; try again.");
    } finally {
      workflowLocks.computeIfPresent(workflow, (key, lock) -> --lock.users == 0 ? null : lock);
    }
  }

  private void refuseWithoutDatabase() {
    if (!database.isUp()) {
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", null,
          "Greenlight cannot reach its database just now; nothing was changed. Try again after Retry-After seconds.");
    }
  }

  /**
   * A GitHub deployment protection rule, from a webhook whose signature was checked. The same delivery again (GitHub
   * redelivers, or a person does) gets the request it started, pending or ended, and so does the same deployment under
   * another delivery id (the id is not signed, the deployment is); the same run's environment asked again while its
   * request is pending gets that request. Like the xMatters orb, GitHub ignores the answer: a request
   * nobody can approve starts and ends visibly, rejecting the rule with the reason.
   */
  public Outcome request(GitHubGate gate) {
    ApprovalRequest request = gate.asApprovalRequest();
    return oneAtATime(request, () -> {
      Optional<String> delivered = requestStartedBy(GITHUB_DELIVERY, gate.delivery())
          .or(() -> gate.deploymentId() == null ? Optional.empty() : requestStartedBy(GITHUB_DEPLOYMENT_ID, gate.deploymentId()));
      if (delivered.isPresent()) {
        return new Outcome(approvals.find(delivered.get()).orElseThrow(), false);
      }
      return requestOneAtATime(request, GITHUB_APP, GITHUB, gate.variables());
    });
  }

  /** The request, pending or ended, whose variable {@code name} holds {@code value} (the history's index on names). */
  private Optional<String> requestStartedBy(String name, Object value) {
    return history.createHistoricVariableInstanceQuery().variableValueEquals(name, value).list().stream()
        .map(HistoricVariableInstance::getProcessInstanceId).findFirst();
  }

  private Outcome requestOneAtATime(ApprovalRequest request, ApiClientAccess client, String channel) {
    return requestOneAtATime(request, client, channel, Map.of());
  }

  private Outcome requestOneAtATime(ApprovalRequest request, ApiClientAccess client, String channel,
                                    Map<String, Object> gateVariables) {
    if (!client.mayRequest(request.projectSlug())) {
      throw new ApiException(HttpStatus.FORBIDDEN, "project_not_allowed", "project_slug",
          "This API key may not request approval for " + request.projectSlug() + ".");
    }
    for (int attempt = 1; ; attempt++) {
      Optional<String> pending = pendingRequestFor(request);
      if (pending.isPresent()) {
        return new Outcome(approvals.find(pending.get()).orElseThrow(), false);
      }
      if (!XMATTERS.equals(channel) && !GITHUB.equals(channel)) {
        refuseIfNobodyCanApprove(request);
      }
      try {
        return new Outcome(transaction.execute(status -> start(request, client, channel, gateVariables)), true);
      } catch (DuplicateKeyException anotherNodeWasFaster) {
        // Another node started a request for this gate (or took the same code) at the same moment: look again.
        if (attempt == 3) {
          throw anotherNodeWasFaster;
        }
      }
    }
  }

  /**
   * A caller that reads the answer learns at once that nobody could approve (a 422 naming why), and nothing starts. The
   * xMatters orb ignores answers: its request starts and fails visibly in the process, cancelling the workflow. The
   * routing table is asked as the pipeline describes itself; the request's own routing step asks again with CircleCI's
   * word, and fails then if that routes elsewhere to nobody.
   */
  private void refuseIfNobodyCanApprove(ApprovalRequest request) {
    String named = ApproverNames.normalised(request.approverGroup());
    String toCheck = named;
    if (named == null) {
      try {
        toCheck = routing.approversFor(request.projectSlug(), request.branch()).orElse(null);
      } catch (RuntimeException tableFails) {
        // A routing table that cannot be evaluated fails the request's routing step as an incident an admin sees.
        log.warn("The routing table could not be evaluated for {} ({}); the request starts and its routing step will say why",
            request.projectSlug(), tableFails.getMessage());
        return;
      }
    }
    String routed = named == null ? "The routing table gives " + (toCheck == null ? "no approvers" : toCheck.replace(",", ", "))
        + " for this request. " : "";
    checkApprovers.problemWith(toCheck, request.requestedBy()).ifPresent(problem -> {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, problem.code(), named == null ? null : "approver_group",
          routed + problem.message());
    });
  }

  /** Starts the request and reserves its SMS code, in one transaction; the request as it now stands. */
  private ApprovalView start(ApprovalRequest request, ApiClientAccess client, String channel,
                             Map<String, Object> gateVariables) {
    Map<String, Object> variables = new HashMap<>();
    variables.put(GATE, CircleCiGateKind.ID);
    variables.put(PROJECT_SLUG, request.projectSlug());
    variables.put(WORKFLOW_ID, request.workflowId().toLowerCase());
    variables.put(APPROVAL_JOB, request.approvalJob());
    variables.put(REQUESTED_BY, request.requestedBy());
    variables.put(BRANCH, request.branch());
    variables.put(COMMIT, request.commit());
    if (gateVariables.isEmpty()) {
      BuildLink buildLink = buildLinks.checked(request.buildUrl(), request.workflowId().toLowerCase());
      variables.put(BUILD_URL, buildLink.url());
      buildLink.overruled().ifPresent(claim -> variables.put(OVERRULED_CLAIMS, JsonVariables.json(List.of(claim))));
    } else {
      // GitHub's signed word, with the run's page on GitHub.
      variables.put(BUILD_URL, request.buildUrl());
    }
    variables.put(SUMMARY, request.summary());
    variables.put(REQUESTED_APPROVER_GROUP, ApproverNames.normalised(request.approverGroup()));
    variables.put(REQUESTED_THROUGH, channel);
    variables.put(API_CLIENT, client.id());
    variables.put(STATUS, null);
    variables.put(DECISIONS, JsonVariables.json(List.of()));
    String gate = BusinessKey.of(request.projectSlug(), request.workflowId(), request.approvalJob());
    String code = codes.freeCode();
    variables.put(CODE, code);
    variables.putAll(gateVariables);
    ProcessInstance instance = runtime.startProcessInstanceByKey(PROCESS_KEY, gate, variables);
    codes.reserve(code, instance.getId(), gate);
    GreenlightMetrics.requestStarted(channel, GateKinds.idOf(variables.get(GATE)));
    return approvals.justStarted(instance.getId(), variables);
  }

  /**
   * A pending request for the same gate. Until its job is found a request without a job name has the key
   * {@code slug/workflow/}; it is the same gate as any named one, since it means the workflow's only one.
   */
  private Optional<String> pendingRequestFor(ApprovalRequest request) {
    String workflowKey = BusinessKey.of(request.projectSlug(), request.workflowId(), null);
    String exactKey = BusinessKey.of(request.projectSlug(), request.workflowId(), request.approvalJob());
    return runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
        .processInstanceBusinessKeyLike(workflowKey + "%").list().stream()
        .filter(instance -> instance.getBusinessKey().startsWith(workflowKey))
        .filter(instance -> request.approvalJob() == null
            || instance.getBusinessKey().equals(exactKey) || instance.getBusinessKey().equals(workflowKey))
        .map(ProcessInstance::getId)
        .findFirst();
  }
}
