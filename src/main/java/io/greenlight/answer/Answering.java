package io.greenlight.answer;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS;
import static io.greenlight.approval.ApprovalVariables.CHANGES;
import static io.greenlight.approval.ApprovalVariables.CODE;
import static io.greenlight.approval.ApprovalVariables.COMMENT;
import static io.greenlight.approval.ApprovalVariables.DECISION;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.ESCALATED_TO;
import static io.greenlight.approval.ApprovalVariables.PROCESS_KEY;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.REQUIRED_APPROVALS;
import static io.greenlight.approval.ApprovalVariables.RULES;

import io.greenlight.answer.Answer.Action;
import io.greenlight.answer.Answer.Answerer;
import io.greenlight.answer.Answer.RequestRef;
import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.Answers;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.Decision;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.ProcessMessages;
import io.greenlight.approval.RuleEscalations;
import io.greenlight.approval.Stage;
import io.greenlight.directory.Approvers;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.routing.RoutingTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.VariableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way in for every answer, whichever channel brought it (the decision API, SMS, Slack, a phone call; Tasklist
 * completes the task in the engine, where {@link RecordDecision} applies the same rules): who it is, which request, then
 * the {@link DecisionRules}, recorded by completing the decision task as that person, or escalated. In this order, so
 * that nobody costs more than their answer is worth:
 * <ol>
 *   <li>someone refused too often lately is turned away before anything is looked up ({@link RefusalLimit}; unknown
 *   phone numbers and Slack accounts are counted too);</li>
 *   <li>someone who may not answer the request is refused at once, never kept waiting;</li>
 *   <li>only an answer that may be taken waits for a request still being set up, and only so long and so many at once
 *   ({@link SettingUpWait});</li>
 *   <li>an answer that collided with another change of the request (another answer, a notification job, the deadline)
 *   left nothing behind and is tried again here, from scratch: the next attempt records it or says who won.</li>
 * </ol>
 * Refusals are recorded beside the request ({@link RefusedAnswers}) and come back as {@link Outcome.Refused} with one
 * code and one sentence, whatever the channel.
 */
public class Answering {

  private static final Logger log = LoggerFactory.getLogger(Answering.class);
  private final ApprovalRequests approvals;
  private final TaskService tasks;
  private final RuntimeService runtime;
  private final HistoryService history;
  private final IdentityService identity;
  private final Directory directory;
  private final DecisionRules rules;
  private final RoutingTable routing;
  private final ApprovalCodes codes;
  private final RefusalLimit refusalLimit;
  private final SettingUpWait settingUp;
  private final RequestCommits commits;
  private final TransactionTemplate transaction;
  private final JdbcTemplate jdbc;
  private final CommandExecutor newTransaction;

  Answering(ApprovalRequests approvals, TaskService tasks, RuntimeService runtime, HistoryService history,
            IdentityService identity, Directory directory, DecisionRules rules, RoutingTable routing, ApprovalCodes codes,
            RefusalLimit refusalLimit, SettingUpWait settingUp, RequestCommits commits, TransactionTemplate transaction,
            JdbcTemplate jdbc, CommandExecutor newTransaction) {
    this.approvals = approvals;
    this.tasks = tasks;
    this.runtime = runtime;
    this.history = history;
    this.identity = identity;
    this.directory = directory;
    this.rules = rules;
    this.routing = routing;
    this.codes = codes;
    this.refusalLimit = refusalLimit;
    this.settingUp = settingUp;
    this.commits = commits;
    this.transaction = transaction;
    this.jdbc = jdbc;
    this.newTransaction = newTransaction;
  }

  public Outcome take(Answer answer) {
    Found found = whoAndWhich(answer);
    if (found.refusal() != null) {
      return new Outcome.Refused(found.refusal());
    }
    String userId = found.userId();
    String decision = answer.action() == Action.APPROVE ? Decision.APPROVE : answer.action() == Action.REJECT ? Decision.REJECT : null;
    String reason = answer.reason() == null || answer.reason().isBlank() ? null : answer.reason().trim();
    ApprovalView approval = found.approval();
    String requestId = approval.id();
    Optional<Refusal> before = closedOrNotAnswerable(approval, userId, answer);
    if (before.isPresent()) {
      return refused(requestId, userId, answer.channel(), decision, reason, before.get());
    }
    if (answer.action() == Action.ESCALATE) {
      return escalate(approval, userId, answer.channel(), answer.deliveryId());
    }
    return RetryOnConflict.attempt(last -> attempt(requestId, userId, decision, reason, answer.channel(),
        answer.deliveryId(), last), commits.nextChangeOf(requestId)).orElseThrow();
  }

  /**
   * Why {@code answer} would be refused before its reason is even looked at (too many refusals lately, an unknown person
   * or request, a request already decided, someone who may not answer it), or empty: what a channel checks before it
   * asks the person for a reason (Slack's form). Refusals are recorded and counted as {@link #take}'s are; nothing is
   * waited for.
   */
  public Optional<Refusal> refusalBeforeReason(Answer answer) {
    Found found = whoAndWhich(answer);
    if (found.refusal() != null) {
      return Optional.of(found.refusal());
    }
    ApprovalView approval = found.approval();
    String userId = found.userId();
    String decision = answer.action() == Action.APPROVE ? Decision.APPROVE : Decision.REJECT;
    Optional<Refusal> notAnApprover = notAnApprover(approval, userId);
    if (notAnApprover.isPresent()) {
      return Optional.of(refused(approval.id(), userId, answer.channel(), decision, null, notAnApprover.get()).refusal());
    }
    if (approval.status() != ApprovalStatus.PENDING || decided(approval)) {
      return Optional.of(refused(approval.id(), userId, answer.channel(), decision, null,
          Refusal.alreadyDecided(approval)).refusal());
    }
    return Optional.empty();
  }

  /**
   * Whether approving would break the glass: deploys of the request's project are frozen and the person is of the
   * break-glass group. Such an approval needs a reason, which a channel without one (Slack's button) asks for first.
   */
  public boolean approvalNeedsReason(Answer answer) {
    Optional<DirectoryFile.User> person = person(answer.who());
    if (person.isEmpty() || answer.request().id() == null) {
      return false;
    }
    return approvals.find(answer.request().id()).flatMap(approval -> rules.freezeOf(approval.projectSlug())).isPresent()
        && directory.isMember(person.get().id(), rules.breakGlassGroup());
  }

  /**
   * Whether {@code userId} may answer the request: named, a member of a group named, or of the escalation group once
   * asked; before routing, as the pipeline or the routing table will name them.
   */
  public boolean mayAnswer(String requestId, String userId) {
    return approvals.find(requestId).map(approval -> mayAnswer(approval, userId)).orElse(false);
  }

  private boolean mayAnswer(ApprovalView approval, String userId) {
    return notAnApprover(approval, userId).isEmpty();
  }

  /** Why {@code userId} may not answer the request (for none of its rules), or empty when they may. */
  private Optional<Refusal> notAnApprover(ApprovalView approval, String userId) {
    Approvers approvers = rules.approvers(rulesOf(approval), rules.freezeOf(approval.projectSlug()));
    return directory.mayAnswer(userId, approvers) ? Optional.empty()
        : Optional.of(Refusal.notAnApprover(userId, approvers.describe()));
  }

  /**
   * The request's rules; before routing, as the pipeline or the routing table will name the main group and the table's
   * additional approvals will add rules (empty when nobody would be named).
   */
  private List<ApprovalRule> rulesOf(ApprovalView approval) {
    if (approval.approverGroup() != null || approval.status() != ApprovalStatus.PENDING) {
      return ApprovalRules.ofView(approval);
    }
    Object requested = runtime.createVariableInstanceQuery().processInstanceIdIn(approval.id())
        .variableName(REQUESTED_APPROVER_GROUP).disableCustomObjectDeserialization().list().stream()
        .map(variable -> variable.getValue()).filter(Objects::nonNull).findFirst().orElse(null);
    String named = requested instanceof String text && !text.isBlank() ? text
        : routing.approversFor(approval.projectSlug(), approval.branch()).orElse(null);
    List<ApprovalRule> expected = new ArrayList<>();
    if (named != null) {
      expected.add(ApprovalRule.of(named, 1));
    }
    // A CircleCI job not named by the pipeline is known once its gate is found: until then a row that asks for a certain
    // environment may still match, so its group may answer (and wait) too; routing says for sure.
    (approval.approvalJob() == null ? routing.additionalGroupsNamed()
        : routing.additionalGroupsFor(approval.projectSlug(), approval.branch(), approval.approvalJob()))
        .forEach(group -> expected.add(ApprovalRule.of(group, 1)));
    return expected;
  }

  private Optional<DirectoryFile.User> person(Answerer who) {
    if (who.key() == null || who.key().isBlank()) {
      return Optional.empty();
    }
    return switch (who.kind()) {
      case USER -> directory.user(who.key());
      case PHONE -> directory.userWithPhone(who.key());
      case SLACK -> directory.userWithSlackId(who.key());
    };
  }

  /** Who answered and which request, or why neither is taken. */
  private record Found(String userId, ApprovalView approval, Refusal refusal) {

    Found(ApprovalView approval, Refusal refusal) {
      this(null, approval, refusal);
    }
  }

  /**
   * Someone refused too often lately is turned away before anything is looked up; an unknown person, or a request that
   * cannot be found, counts as a refusal (under the number or Slack account while nobody is known by it).
   */
  private Found whoAndWhich(Answer answer) {
    Optional<DirectoryFile.User> person = person(answer.who());
    String counted = person.map(DirectoryFile.User::id).orElse(answer.who().unknownKey());
    if (refusalLimit.tooManyLately(counted)) {
      return new Found(null, Refusal.tooManyRefused(refusalLimit.message()));
    }
    if (person.isEmpty()) {
      refusalLimit.noteRefusal(counted);
      return new Found(null, Refusal.unknownPerson(answer.who()));
    }
    Found found = request(answer.request(), counted);
    if (found.refusal() != null) {
      refusalLimit.noteRefusal(counted);
    }
    return new Found(counted, found.approval(), found.refusal());
  }

  private Found request(RequestRef which, String userId) {
    if (which.id() != null) {
      return approvals.find(which.id()).map(found -> new Found(found, null))
          .orElseGet(() -> new Found(null, Refusal.unknownRequest()));
    }
    if (which.code() != null) {
      Optional<ApprovalView> pending = codes.pendingRequest(which.code()).flatMap(approvals::find);
      if (pending.isPresent()) {
        return new Found(pending.get(), null);
      }
      // A late answer is told how its request ended.
      List<HistoricProcessInstance> ended = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
          .finished().variableValueEquals(CODE, which.code()).orderByProcessInstanceEndTime().desc().listPage(0, 1);
      return ended.stream().findFirst().flatMap(instance -> approvals.find(instance.getId()))
          .map(found -> new Found(found, null))
          .orElseGet(() -> new Found(null, Refusal.unknownCode(which.code())));
    }
    List<Task> open = tasks.createTaskQuery().processDefinitionKey(PROCESS_KEY).taskDefinitionKey(ActivityIds.DECIDE)
        .taskCandidateUser(userId).list();
    if (open.size() != 1) {
      return new Found(null, open.isEmpty() ? Refusal.noPendingRequest() : Refusal.severalPending(open.size()));
    }
    return approvals.find(open.get(0).getProcessInstanceId()).map(found -> new Found(found, null))
        .orElseGet(() -> new Found(null, Refusal.noPendingRequest()));
  }

  /**
   * What refuses an answer before its task is looked at: the request ended or was decided, the person may not answer it,
   * or (for someone who may) it is still being set up past the wait.
   */
  private Optional<Refusal> closedOrNotAnswerable(ApprovalView approval, String userId, Answer answer) {
    // Who may answer first: someone else learns nothing of the request, not even how it ended.
    Optional<Refusal> notAnApprover = notAnApprover(approval, userId);
    if (notAnApprover.isPresent()) {
      return notAnApprover;
    }
    if (approval.status() != ApprovalStatus.PENDING || decided(approval)) {
      return Optional.of(Refusal.alreadyDecided(approval));
    }
    if (answer.action() != Action.ESCALATE) {
      try {
        rules.checkReason(answer.action() == Action.APPROVE ? Decision.APPROVE : Decision.REJECT, answer.reason());
      } catch (DecisionRefusedException refused) {
        return Optional.of(refused.refusal());
      }
    }
    if (decisionTask(approval.id()) == null && settingUp(approval.id())) {
      SettingUpWait.Result waited = settingUp.await(approval.id(), () -> decisionTask(approval.id()) != null,
          () -> settingUp(approval.id()));
      if (waited == SettingUpWait.Result.NO_PLACE) {
        return Optional.of(Refusal.notReadyAndBusy());
      }
    }
    return Optional.empty();
  }

  private boolean settingUp(String requestId) {
    Stage stage = approvals.find(requestId).map(ApprovalView::stage).orElse(Stage.ENDED);
    return stage == Stage.FINDING_GATE || stage == Stage.ASKING;
  }

  private Task decisionTask(String requestId) {
    return tasks.createTaskQuery().processInstanceId(requestId).taskDefinitionKey(ActivityIds.DECIDE).singleResult();
  }

  private Outcome escalate(ApprovalView approval, String userId, String channel, String deliveryId) {
    String requestId = approval.id();
    if (decisionTask(requestId) == null) {
      return refused(requestId, userId, channel, null, null, notWaiting(approvals.find(requestId).orElse(approval)));
    }
    return RetryOnConflict.attempt(last -> {
      try {
        // The escalation and its delivery id in one transaction: a message delivered twice escalates once. Only the
        // rules this person was asked for, or may count toward, are escalated: each rule is asked on its own.
        List<Integer> escalated = transaction.execute(status -> {
          claim(deliveryId, requestId);
          return RuleEscalations.escalate(runtime, requestId,
              rule -> rule.asked().contains(userId) || rules.mayCountToward(userId, rule));
        });
        ApprovalView now = approvals.find(requestId).orElse(approval);
        if (escalated == null || escalated.isEmpty()) {
          return Optional.<Outcome>of(new Outcome.NothingMoreToAsk(now));
        }
        return Optional.<Outcome>of(new Outcome.Escalated(now, RuleEscalations.newlyAsked(runtime, requestId, escalated)));
      } catch (DuplicateKeyException sameDeliveryAgain) {
        return Optional.<Outcome>of(new Outcome.Refused(Refusal.alreadyTaken()));
      } catch (OptimisticLockingException collided) {
        if (last) {
          throw collided;
        }
        return Optional.empty();
      }
    }, commits.nextChangeOf(requestId)).orElseThrow();
  }

  /** The channel's id of the message that carried the answer, kept with it: the same message again is refused. */
  private void claim(String deliveryId, String requestId) {
    if (deliveryId != null) {
      jdbc.update("insert into greenlight_answer_delivery (delivery_id, request_id, received_at) values (?, ?, ?)",
          deliveryId, requestId, new Timestamp(ClockUtil.getCurrentTime().getTime()));
    }
  }

  /** One attempt in one transaction: the answer and its delivery id are kept together, or neither is. */
  private Optional<Outcome> attempt(String requestId, String userId, String decision, String reason, String channel,
                                    String deliveryId, boolean last) {
    Task task = decisionTask(requestId);
    ApprovalView approval = approvals.find(requestId).orElseThrow();
    Optional<Refusal> refusal = task == null ? Optional.of(notWaiting(approval)) : Optional.empty();
    VariableMap asked = null;
    if (refusal.isEmpty()) {
      asked = askedOf(task);
      if (asked == null || asked.get(APPROVER_GROUP) == null) {
        // Completed by another answer, or ended by the deadline, while it was read: look again.
        if (!last) {
          return Optional.empty();
        }
        refusal = Optional.of(notWaiting(approvals.find(requestId).orElse(approval)));
      }
    }
    if (refusal.isEmpty()) {
      List<Decision> answered = JsonVariables.list(asked.getValueTyped(DECISIONS), Decision.class);
      List<ApprovalRule> requestRules = ApprovalRules.of(asked::getValueTyped);
      if (ApprovalRules.decided(answered, requestRules) || asked.get(BREAK_GLASS) != null) {
        refusal = Optional.of(Refusal.alreadyDecided(approval.withDecisions(answered)));
      } else {
        try {
          boolean breakGlass = rules.check(userId, requestRules, rules.freezeOf((String) asked.get(PROJECT_SLUG)),
              (String) asked.get(REQUESTED_BY), decision, reason, Answers.approvers(answered),
              JsonVariables.read(asked.getValueTyped(CHANGES), ApprovalView.Changes.class));
          if (breakGlass) {
            // A freeze that began after the task was made (a recurring one, say) did not make it the group's yet.
            tasks.addCandidateGroup(task.getId(), rules.breakGlassGroup());
          }
        } catch (DecisionRefusedException refused) {
          refusal = Optional.of(refused.refusal());
        }
      }
    }
    if (refusal.isPresent()) {
      return Optional.of(refused(requestId, userId, channel, decision, reason, refusal.get()));
    }
    try {
      transaction.executeWithoutResult(status -> {
        claim(deliveryId, requestId);
        complete(task, userId, decision, reason, channel);
      });
    } catch (DuplicateKeyException sameDeliveryAgain) {
      return Optional.of(new Outcome.Refused(Refusal.alreadyTaken()));
    } catch (RuntimeException failure) {
      Optional<DecisionRefusedException> refused = DecisionRefusedException.in(failure);
      if (refused.isPresent()) {
        // Refused against the request as it stood when completing (the listener recorded it): if an answer that
        // committed meanwhile decided it, say who decided.
        ApprovalView now = approvals.find(requestId).orElse(approval);
        return Optional.of(new Outcome.Refused(now.status() != ApprovalStatus.PENDING || decided(now)
            ? Refusal.alreadyDecided(now) : refused.get().refusal()));
      }
      // Another answer, the deadline or a notification job changed the request at the same moment, and nothing of this
      // answer was kept. Look again: the task is gone (then who decided is said), or a new round of it waits.
      boolean collided = Causes.first(failure, OptimisticLockingException.class).isPresent()
          || tasks.createTaskQuery().taskId(task.getId()).count() == 0 || endedMeanwhile(requestId);
      if (!collided || last) {
        throw failure;
      }
      return Optional.empty();
    }
    ApprovalView recorded = approvals.find(requestId).orElseThrow();
    return Optional.of(new Outcome.Recorded(recorded, Decision.APPROVE.equals(decision) ? Action.APPROVE : Action.REJECT));
  }

  private Outcome.Refused refused(String requestId, String userId, String channel, String decision, String reason, Refusal refusal) {
    RefusedAnswers.record(refusalLimit, newTransaction, requestId, userId, channel, decision, reason, refusal.code(),
        refusal.message());
    if (Refusals.FROZEN.equals(refusal.code())) {
      frozenMeanwhile(requestId);
    }
    return new Outcome.Refused(refusal);
  }

  /**
   * An approval refused because deploys are frozen: the request goes to the break-glass group, should its approvers have
   * been asked before the freeze began ("Frozen meanwhile"). A request asking them already, or on an earlier model
   * without the freeze steps, has no such wait, and nothing happens.
   */
  private void frozenMeanwhile(String requestId) {
    try {
      runtime.createMessageCorrelation(ProcessMessages.DEPLOYS_FROZEN).processInstanceId(requestId).correlateAllWithResult();
    } catch (OptimisticLockingException collided) {
      // Another change of the request won; the next refused approval, or the freeze's own notice, tries again.
      log.debug("Request {} changed while being told deploys are frozen", requestId, collided);
    }
  }

  /**
   * What the answer is checked against, read as the task's listener will read it (the running request's variables), not
   * from the history view, which may not yet show a routing that has just committed. Null when the task is gone.
   */
  private VariableMap askedOf(Task task) {
    try {
      return tasks.getVariablesTyped(task.getId(),
          List.of(APPROVER_GROUP, ESCALATED_TO, REQUESTED_BY, DECISIONS, REQUIRED_APPROVALS, RULES, CHANGES, PROJECT_SLUG,
              BREAK_GLASS), true);
    } catch (RuntimeException failure) {
      // Gone meanwhile: the engine says so, or, when the request ended between reading the task and checking it, fails
      // inside its own permission check (its execution is gone).
      if (tasks.createTaskQuery().taskId(task.getId()).count() == 0) {
        return null;
      }
      throw failure;
    }
  }

  /** The deadline or another answer ended the request while this answer was being completed. */
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
   * Why {@code approval} takes no more answers because it was decided or has ended, or empty while answers are still
   * taken: what a channel tells someone before it asks them for more (Slack's reason form).
   */
  public static Optional<Refusal> alreadyClosed(ApprovalView approval) {
    return approval.status() != ApprovalStatus.PENDING || decided(approval)
        ? Optional.of(Refusal.alreadyDecided(approval)) : Optional.empty();
  }

  /** The answers are in, whatever is still being carried out. */
  private static boolean decided(ApprovalView approval) {
    return approval.breakGlass() != null || ApprovalRules.decided(approval.decisions(), ApprovalRules.ofView(approval));
  }

  /** Why there is no task to answer: decided already, past its deadline, or not yet asking. */
  private static Refusal notWaiting(ApprovalView approval) {
    if (approval.status() != ApprovalStatus.PENDING || decided(approval)) {
      return Refusal.alreadyDecided(approval);
    }
    if (approval.expiresAt() != null && !approval.expiresAt().isAfter(ClockUtil.getCurrentTime().toInstant())) {
      return Refusal.expired(approval, approval.expiresAt());
    }
    return Refusal.notReady(approval);
  }
}
