package io.greenlight.intake;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.BusinessKey;
import io.greenlight.approval.GateKinds;
import io.greenlight.approval.AskedGate;
import io.greenlight.approval.GateKind;
import io.greenlight.approval.GateNotNamedException;
import io.greenlight.approval.NamedGate;
import io.greenlight.approval.SignedRequests;
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
 * same gate asked again while its request is pending gets that request back. Requests come through the API (the
 * request's kind names its gate from the body, {@code approval.GateKind#named}), the xMatters drop-in, and the signed
 * messages of CI systems that call Greenlight themselves ({@link SignedRequests}, GitHub's webhook in its package).
 */
@Component
public class Intake implements SignedRequests {

  /** Requests made with {@code POST /api/approvals}. */
  public static final String API = "api";
  /** Requests made by the xMatters orb's {@code notify} step, which ignores the answer. */
  public static final String XMATTERS = "xmatters";

  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  private final RuntimeService runtime;
  private final HistoryService history;
  private final ApprovalRequests approvals;
  private final ApprovalCodes codes;
  private final CheckApprovers checkApprovers;
  private final RoutingTable routing;
  private final TransactionTemplate transaction;
  private final GateKinds kinds;
  private final DatabaseLink database;
  /** One lock per workflow being asked for right now (none kept for idle workflows). */
  private final ConcurrentHashMap<String, WorkflowLock> workflowLocks = new ConcurrentHashMap<>();

  public Intake(RuntimeService runtime, HistoryService history, ApprovalRequests approvals, ApprovalCodes codes,
                CheckApprovers checkApprovers, RoutingTable routing, TransactionTemplate transaction, GateKinds kinds,
                DatabaseLink database) {
    this.runtime = runtime;
    this.history = history;
    this.approvals = approvals;
    this.codes = codes;
    this.checkApprovers = checkApprovers;
    this.routing = routing;
    this.transaction = transaction;
    this.kinds = kinds;
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
    GateKind kind = kinds.askedThroughTheApi(request.projectSlug()).orElseThrow(() -> new ApiException(
        HttpStatus.BAD_REQUEST, "invalid_field", "project_slug", "Field project_slug must be a CircleCI project slug such "
        + "as gh/acme/shop or a GitLab project path as gl/group/project."));
    NamedGate gate;
    try {
      gate = kind.named(new AskedGate(request.projectSlug(), request.workflowId(), request.approvalJob(), request.pipelineId(),
          request.environment(), request.buildUrl()));
    } catch (GateNotNamedException notNamed) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "is required".equals(notNamed.getMessage()) ? "missing_field"
          : "invalid_field", notNamed.field(), "Field " + notNamed.field() + " " + notNamed.getMessage() + ".");
    }
    Asked asked = new Asked(request, kind.id(), gate);
    // The xMatters orb ignores answers: its request starts and fails visibly in the process, cancelling the workflow.
    return oneAtATime(asked, () -> requestOneAtATime(asked, client, channel, !XMATTERS.equals(channel)));
  }

  /** A request as its kind named its gate: the body, the kind, the workflow and gate name, the kind's variables. */
  private record Asked(ApprovalRequest request, String kind, NamedGate gate) {

    String projectSlug() {
      return request.projectSlug();
    }

    String workflowId() {
      return gate.workflowId();
    }

    String gateName() {
      return gate.gateName();
    }
  }

  /** How long a request waits for another request of the same workflow on this node before it is answered 503. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

  private static final class WorkflowLock {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  private <T> T oneAtATime(Asked request, Supplier<T> work) {
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
   * A request a CI system asked for in a signed message (GitHub's webhook). The same message again (a redelivery, by
   * any of its {@code startedBy} ids) gets the request it started, pending or ended; the same gate asked again while its
   * request is pending gets that request. The system stands for no API client: the request is its own (client
   * {@code <kind>-app}, channel {@code <kind>}), and like the xMatters orb it ignores the answer, so a request nobody can
   * approve starts and ends visibly, stopping the deploy with the reason.
   */
  @Override
  public Started request(SignedRequest signed) {
    ApprovalRequest body = new ApprovalRequest(signed.projectSlug(), null, signed.gate().gateName(), null, null,
        signed.requestedBy(), signed.branch(), signed.commit(), null, null, signed.summary());
    Asked request = new Asked(body, signed.kind(), signed.gate());
    ApiClientAccess system = new ApiClientAccess(signed.kind() + "-app", List.of(signed.projectSlug()));
    Outcome outcome = oneAtATime(request, () -> {
      Optional<String> delivered = signed.startedBy().entrySet().stream()
          .map(id -> requestStartedBy(id.getKey(), id.getValue())).flatMap(Optional::stream).findFirst();
      if (delivered.isPresent()) {
        return new Outcome(approvals.find(delivered.get()).orElseThrow(), false);
      }
      return requestOneAtATime(request, system, signed.kind(), false);
    });
    return new Started(outcome.approval(), outcome.created());
  }

  /** The request, pending or ended, whose variable {@code name} holds {@code value} (the history's index on names). */
  private Optional<String> requestStartedBy(String name, Object value) {
    return history.createHistoricVariableInstanceQuery().variableValueEquals(name, value).list().stream()
        .map(HistoricVariableInstance::getProcessInstanceId).findFirst();
  }

  private Outcome requestOneAtATime(Asked request, ApiClientAccess client, String channel, boolean refuseWhenNobodyCan) {
    if (!client.mayRequest(request.projectSlug())) {
      throw new ApiException(HttpStatus.FORBIDDEN, "project_not_allowed", "project_slug",
          "This API key may not request approval for " + request.projectSlug() + ".");
    }
    for (int attempt = 1; ; attempt++) {
      Optional<String> pending = pendingRequestFor(request);
      if (pending.isPresent()) {
        return new Outcome(approvals.find(pending.get()).orElseThrow(), false);
      }
      if (refuseWhenNobodyCan) {
        refuseIfNobodyCanApprove(request.request());
      }
      try {
        return new Outcome(transaction.execute(status -> start(request, client, channel)), true);
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
  private ApprovalView start(Asked asked, ApiClientAccess client, String channel) {
    ApprovalRequest request = asked.request();
    Map<String, Object> variables = new HashMap<>();
    variables.put(GATE, asked.kind());
    variables.put(PROJECT_SLUG, request.projectSlug());
    variables.put(WORKFLOW_ID, asked.workflowId());
    variables.put(APPROVAL_JOB, asked.gateName());
    variables.put(REQUESTED_BY, request.requestedBy());
    variables.put(BRANCH, request.branch());
    variables.put(COMMIT, request.commit());
    variables.put(SUMMARY, request.summary());
    variables.put(REQUESTED_APPROVER_GROUP, ApproverNames.normalised(request.approverGroup()));
    variables.put(REQUESTED_THROUGH, channel);
    variables.put(API_CLIENT, client.id());
    variables.put(STATUS, null);
    variables.put(DECISIONS, JsonVariables.json(List.of()));
    String gate = BusinessKey.of(request.projectSlug(), asked.workflowId(), asked.gateName());
    String code = codes.freeCode();
    variables.put(CODE, code);
    // The kind's own: the build link it vouches for, its ids of the gate.
    variables.putAll(asked.gate().variables());
    ProcessInstance instance = runtime.startProcessInstanceByKey(PROCESS_KEY, gate, variables);
    codes.reserve(code, instance.getId(), gate);
    GreenlightMetrics.requestStarted(channel, asked.kind());
    return approvals.justStarted(instance.getId(), variables);
  }

  /**
   * A pending request for the same gate. Until its job is found a request without a job name has the key
   * {@code slug/workflow/}; it is the same gate as any named one, since it means the workflow's only one.
   */
  private Optional<String> pendingRequestFor(Asked request) {
    String workflowKey = BusinessKey.of(request.projectSlug(), request.workflowId(), null);
    String exactKey = BusinessKey.of(request.projectSlug(), request.workflowId(), request.gateName());
    return runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
        .processInstanceBusinessKeyLike(workflowKey + "%").list().stream()
        .filter(instance -> instance.getBusinessKey().startsWith(workflowKey))
        .filter(instance -> request.gateName() == null
            || instance.getBusinessKey().equals(exactKey) || instance.getBusinessKey().equals(workflowKey))
        .map(ProcessInstance::getId)
        .findFirst();
  }
}
