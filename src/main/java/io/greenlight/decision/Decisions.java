package io.greenlight.decision;

import static io.greenlight.approval.ApprovalVariables.COMMENT;
import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.DECISION;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.ESCALATED_TO;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.REQUIRED_APPROVALS;

import io.greenlight.approval.GateKinds;
import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.Answers;
import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.web.ApiException;
import io.greenlight.approval.Stage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.VariableMap;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Answers given outside Tasklist (the decision API; SMS joins here): they complete the same user task
 * as the authenticated approver, so the same complete listener and rules apply to every channel.
 */
public class Decisions {

  /**
   * How long an answer waits for a request still being set up (the gate looked up, the approvers routed): a few seconds
   * usually, and an answer that would be taken a moment later should not be refused.
   */
  public static final Duration SETTING_UP_WAIT = Duration.ofSeconds(10);
  private static final long LOOK_AGAIN_MILLIS = 100;

  private final ApprovalRequests approvals;
  private final TaskService tasks;
  private final IdentityService identity;
  private final DecisionRules rules;
  private final CommandExecutor newTransaction;
  private final RefusalLimit refusalLimit;

  public Decisions(ApprovalRequests approvals, TaskService tasks, IdentityService identity, DecisionRules rules,
                   CommandExecutor newTransaction, RefusalLimit refusalLimit) {
    this.refusalLimit = refusalLimit;
    this.approvals = approvals;
    this.tasks = tasks;
    this.identity = identity;
    this.rules = rules;
    this.newTransaction = newTransaction;
  }

  /** Whether {@code userId} may answer the request (named, a member of a group named, or of the escalation group once asked). */
  public boolean mayAnswer(String requestId, String userId) {
    return approvals.find(requestId)
        .map(request -> rules.mayAnswer(userId, rules.approvers(request.approverGroup(), request.escalatedTo())))
        .orElse(false);
  }

  public ApprovalView decide(String requestId, String userId, String decision, String comment, String channel) {
    if (refusalLimit.tooManyLately(userId)) {
      throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, Refusals.TOO_MANY_REFUSED_ANSWERS, null, refusalLimit.message());
    }
    String normalisedDecision = decision == null ? null : decision.trim().toLowerCase();
    String normalisedComment = comment == null || comment.isBlank() ? null : comment.trim();
    // Inside a caller's transaction (an SMS reply) a conflict spoils that transaction: the caller tries again itself,
    // and waits for a request being set up before it begins.
    boolean mayTryAgain = !TransactionSynchronizationManager.isActualTransactionActive();
    if (mayTryAgain) {
      awaitAnswerable(requestId);
    }
    // An attempt answers, throws, or (when not the last) collided and is tried again: the last one never comes back empty.
    return RetryOnConflict.attempt(last -> attemptOnce(requestId, userId, normalisedDecision, normalisedComment, channel,
        mayTryAgain, last)).orElseThrow();
  }

  private Optional<ApprovalView> attemptOnce(String requestId, String userId, String normalisedDecision,
                                             String normalisedComment, String channel, boolean mayTryAgain, boolean last) {
    // The request's view says whether it is still pending and who decided; the task whether it waits for answers.
    Task task = tasks.createTaskQuery().processInstanceId(requestId).taskDefinitionKey(ActivityIds.DECIDE).singleResult();
    ApprovalView approval = approvals.find(requestId).orElseThrow(() -> ApiException.notFound("Approval request " + requestId));
    try {
      if (approval.status() != ApprovalStatus.PENDING || decided(approval)) {
        throw alreadyDecided(approval);
      }
      if (task == null) {
        throw notWaiting(approval);
      }
      VariableMap asked = askedOf(task);
      if (asked == null || asked.get(APPROVER_GROUP) == null) {
        // Completed by another answer, or ended by the deadline, while it was read (a task is only ever created after
        // routing named its approvers): look again.
        if (last) {
          throw notWaiting(approvals.find(requestId).orElse(approval));
        }
        return Optional.empty();
      }
      List<Decision> answered = JsonVariables.list(asked.getValueTyped(DECISIONS), Decision.class);
      if (Answers.decided(answered, asked.get(REQUIRED_APPROVALS) instanceof Number n ? n.intValue() : null)) {
        // Decided by an answer that committed after the request's view was read.
        throw alreadyDecided(approval.withDecisions(answered));
      }
      try {
        rules.check(userId, rules.approvers((String) asked.get(APPROVER_GROUP), (String) asked.get(ESCALATED_TO)),
            (String) asked.get(REQUESTED_BY), normalisedDecision, normalisedComment, Answers.approvers(answered));
      } catch (DecisionRefusedException refused) {
        throw refusal(refused);
      }
    } catch (ApiException refused) {
      // Refused before reaching the task; a refusal on completing it is recorded by the task's listener.
      RefusedAnswers.record(refusalLimit, newTransaction, requestId, userId, channel, normalisedDecision, normalisedComment,
          refused.toError().error(), refused.getMessage());
      throw refused;
    }
    try {
      complete(task, userId, normalisedDecision, normalisedComment, channel);
      return Optional.of(approvals.find(requestId).orElseThrow());
    } catch (RuntimeException failure) {
      DecisionRefusedException.in(failure).ifPresent(refused -> {
        // Refused against the request as it stood when completing: if that was because an answer committed in the
        // meantime decided it (this user's own, on another channel, say), say who decided.
        ApprovalView now = approvals.find(requestId).orElse(approval);
        throw now.status() != ApprovalStatus.PENDING || decided(now) ? alreadyDecided(now) : refusal(refused);
      });
      // Another answer, the deadline or a notification job changed the request at the same moment, and nothing of
      // this answer was kept. Look again: the task is gone (then who decided is said), or a new round of it waits.
      boolean raced = Causes.first(failure, OptimisticLockingException.class).isPresent() || tasks.createTaskQuery().taskId(task.getId()).count() == 0
          || endedMeanwhile(requestId);
      if (!raced || !mayTryAgain || last) {
        throw failure;
      }
      return Optional.empty();
    }
  }

  /**
   * What the answer is checked against, read as the task's listener will read it (the running request's variables), not
   * from the history view, which may not yet show a routing that has just committed. Null when the task is gone.
   */
  private VariableMap askedOf(Task task) {
    try {
      return tasks.getVariablesTyped(task.getId(),
          List.of(APPROVER_GROUP, ESCALATED_TO, REQUESTED_BY, DECISIONS, REQUIRED_APPROVALS), true);
    } catch (RuntimeException failure) {
      // Gone meanwhile: the engine says so (NullValueException), or, when the request ended between reading the task and
      // checking it, fails inside its own permission check (its execution is gone).
      if (tasks.createTaskQuery().taskId(task.getId()).count() == 0) {
        return null;
      }
      throw failure;
    }
  }

  /**
   * Waits, at most {@link #SETTING_UP_WAIT}, while the request is still being set up (finding its gate, routing): until
   * its decision task is open, or it ends or fails. Returns at once for a request that is not being set up.
   */
  public void awaitAnswerable(String requestId) {
    long deadline = System.nanoTime() + SETTING_UP_WAIT.toNanos();
    while (tasks.createTaskQuery().processInstanceId(requestId).taskDefinitionKey(ActivityIds.DECIDE).count() == 0) {
      Stage stage = approvals.find(requestId).map(ApprovalView::stage).orElse(Stage.ENDED);
      if ((stage != Stage.FINDING_GATE && stage != Stage.ASKING) || System.nanoTime() > deadline) {
        return;
      }
      try {
        Thread.sleep(LOOK_AGAIN_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The deadline or another answer ended the request while this answer was being completed (the engine then fails on
   * what it no longer finds, in its own code or in the task's listener).
   */
  private boolean endedMeanwhile(String requestId) {
    return approvals.find(requestId).map(now -> now.status() != ApprovalStatus.PENDING || decided(now)).orElse(false);
  }

  private void complete(Task task, String userId, String decision, String comment, String channel) {
    List<String> groups = identity.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
    identity.setAuthentication(userId, groups);
    try {
      DecisionChannel.during(channel, () -> {
        tasks.complete(task.getId(), Map.of(DECISION, decision, COMMENT, comment == null ? "" : comment));
        return null;
      });
    } finally {
      identity.clearAuthentication();
    }
  }

  /**
   * Why {@code approval} takes no more answers because it was decided or has ended (who decided, how it ended), or
   * empty while answers are still taken: what a channel tells someone before it asks them for more (Slack's reason form).
   */
  public static Optional<String> alreadyClosed(ApprovalView approval) {
    return approval.status() != ApprovalStatus.PENDING || decided(approval)
        ? Optional.of(alreadyDecided(approval).getMessage()) : Optional.empty();
  }

  /** The answers are in, whatever is still being carried out. */
  private static boolean decided(ApprovalView approval) {
    return Answers.decided(approval.decisions(), approval.requiredApprovals());
  }

  /** Why there is no task to answer: decided already, past its deadline, or not yet asking. */
  private static ApiException notWaiting(ApprovalView approval) {
    if (approval.status() != ApprovalStatus.PENDING || decided(approval)) {
      return alreadyDecided(approval);
    }
    if (approval.expiresAt() != null && !approval.expiresAt().isAfter(ClockUtil.getCurrentTime().toInstant())) {
      return new ApiException(HttpStatus.CONFLICT, Refusals.EXPIRED, null,
          "The request expired at " + approval.expiresAt() + ". " + GateKinds.willBeStopped(approval.gate()));
    }
    String doing = approval.stage() == Stage.FINDING_GATE
        ? "Greenlight is still looking up the gate in " + GateKinds.systemName(approval.gate()) + " (it may not be on hold yet)"
        : "Greenlight is still choosing and asking the approvers";
    return new ApiException(HttpStatus.CONFLICT, Refusals.NOT_READY, null,
        "The request is not waiting for a decision yet: " + doing + ". Try again shortly.");
  }

  private static ApiException refusal(DecisionRefusedException refused) {
    HttpStatus status = switch (refused.code()) {
      case Refusals.NOT_AN_APPROVER, Refusals.OWN_DEPLOYMENT -> HttpStatus.FORBIDDEN;
      case "already_approved" -> HttpStatus.CONFLICT;
      default -> HttpStatus.BAD_REQUEST;
    };
    return new ApiException(status, refused.code(), refused.field(), refused.getMessage());
  }

  private static ApiException alreadyDecided(ApprovalView approval) {
    String by = approval.decisions().stream().map(Decision::user).distinct().collect(Collectors.joining(", "));
    String message = approval.status() == ApprovalStatus.PENDING
        ? "The request was already decided by " + by + "; the outcome is being carried to " + GateKinds.systemName(approval.gate()) + "."
        : "The request is already " + approval.status().name().toLowerCase() + (by.isEmpty() ? "" : " (decided by " + by + ")") + ".";
    return new ApiException(HttpStatus.CONFLICT, Refusals.ALREADY_DECIDED, null, message);
  }
}
