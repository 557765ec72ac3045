package io.greenlight.sms;

import static io.greenlight.approval.ApprovalVariables.CODE;
import static io.greenlight.approval.ApprovalVariables.PROCESS_KEY;
import static io.greenlight.approval.ApprovalVariables.TO_ASK;

import io.greenlight.approval.GateKinds;
import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.Decision;
import io.greenlight.decision.DecisionRules;
import io.greenlight.decision.Decisions;
import io.greenlight.decision.Refusals;
import io.greenlight.decision.RetryOnConflict;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.notify.Escalations;
import io.greenlight.web.ApiException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers an approver's SMS: finds the sender by phone number and the request by its code (or the sender's
 * only pending request), and decides through the same path as Tasklist and the decision API, so every rule
 * applies. Every message gets an answer saying what was recorded or exactly why nothing was. A message Twilio
 * delivers twice (same MessageSid) is answered again with the first answer and decides nothing more.
 */
@Component
public class SmsReplies {

  private static final Logger log = LoggerFactory.getLogger(SmsReplies.class);

  static final String SMS = "sms";
  /** Twilio's longest message, in characters. */
  private static final int LONGEST_SMS = 1600;

  private final Directory directory;
  private final ApprovalCodes codes;
  private final ApprovalRequests approvals;
  private final Decisions decisions;
  private final TaskService tasks;
  private final HistoryService history;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final Escalations escalations;
  private final RuntimeService runtime;

  public SmsReplies(Directory directory, ApprovalCodes codes, ApprovalRequests approvals, Decisions decisions, TaskService tasks,
                    HistoryService history, JdbcTemplate jdbc, TransactionTemplate transaction, Escalations escalations,
                    RuntimeService runtime) {
    this.directory = directory;
    this.codes = codes;
    this.approvals = approvals;
    this.decisions = decisions;
    this.tasks = tasks;
    this.history = history;
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.escalations = escalations;
    this.runtime = runtime;
  }

  public String answer(String from, String body, String messageSid) {
    Optional<String> earlier = earlierAnswer(messageSid);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    awaitRequestBeingSetUp(body);
    try {
      // An attempt the engine refused (another answer or a job changed the request at that moment) left nothing
      // behind; the next one sees who won, or records the answer.
      Optional<String> reply = RetryOnConflict.attempt(last -> attempt(from, body, messageSid));
      if (reply.isPresent()) {
        return reply.get();
      }
      log.warn("SMS {} could not be recorded after {} attempts; the sender is asked to send it again", messageSid,
          RetryOnConflict.MOST_ATTEMPTS);
      String answer = "Your answer could not be recorded right now; please send it again.";
      transaction.executeWithoutResult(status -> claim(messageSid, answer));
      return answer;
    } catch (DuplicateKeyException sameMessageAtTheSameTime) {
      return earlierAnswer(messageSid).orElse("Your message is being handled; you will not be answered twice.");
    }
  }

  /**
   * A reply with the code of a request still being set up waits for it (a few seconds), as the decision API does, before
   * the transaction that records it begins.
   */
  private void awaitRequestBeingSetUp(String body) {
    if (body == null || body.length() > LONGEST_SMS) {
      return;
    }
    SmsReply reply = SmsReply.parse(body);
    if (reply.code() != null && reply.kind() != SmsReply.Kind.NOT_UNDERSTOOD) {
      codes.pendingRequest(reply.code()).ifPresent(decisions::awaitAnswerable);
    }
  }

  /** The message id is claimed in the transaction that records the decision: both happen, or neither. */
  private Optional<String> attempt(String from, String body, String messageSid) {
    return Optional.ofNullable(transaction.execute(status -> {
      claim(messageSid, "");
      String answer;
      try {
        answer = decide(from, body);
      } catch (RuntimeException raced) {
        // A concurrent change (another answer, a notification job, the request ending) won, and the engine may say so
        // in more ways than one (an optimistic-locking conflict, a task or process already gone): try again from
        // scratch; the next attempt sees who won, or records the answer.
        log.debug("SMS {} raced another change; trying again", messageSid, raced);
        status.setRollbackOnly();
        return null;
      }
      if (status.isRollbackOnly()) {
        status.setRollbackOnly(); // ours too, so the template rolls back quietly
        return null;
      }
      jdbc.update("update greenlight_inbound_sms set reply = ? where message_sid = ?", answer, messageSid);
      return answer;
    }));
  }

  private void claim(String messageSid, String reply) {
    jdbc.update("insert into greenlight_inbound_sms (message_sid, reply, received_at) values (?, ?, ?)",
        messageSid, reply, new Timestamp(ClockUtil.getCurrentTime().getTime()));
  }

  private Optional<String> earlierAnswer(String messageSid) {
    return jdbc.queryForList("select reply from greenlight_inbound_sms where message_sid = ?", String.class, messageSid)
        .stream().filter(reply -> !reply.isEmpty()).findFirst();
  }

  private String decide(String from, String body) {
    Optional<DirectoryFile.User> sender = directory.userWithPhone(from);
    if (sender.isEmpty()) {
      return "Greenlight does not know this number, so nothing was recorded. Ask an admin to add it to the directory.";
    }
    if (body != null && body.length() > LONGEST_SMS) {
      return "Your message is longer than an SMS can be; nothing was recorded. Reply APPROVE <code> or REJECT <code> <reason>.";
    }
    SmsReply reply = SmsReply.parse(body);
    if (reply.kind() == SmsReply.Kind.NOT_UNDERSTOOD) {
      return "Greenlight did not understand that; nothing was recorded. Reply APPROVE <code>, REJECT <code> <reason> or ESCALATE <code>.";
    }
    String userId = sender.get().id();
    String requestId;
    if (reply.code() != null) {
      Optional<String> pending = codes.pendingRequest(reply.code());
      if (pending.isEmpty()) {
        return endedRequest(reply.code())
            .map(ended -> "Request " + reply.code() + " is already " + outcome(ended) + "; nothing was recorded.")
            .orElse("No pending request has the code " + reply.code() + "; nothing was recorded.");
      }
      requestId = pending.get();
    } else {
      List<Task> open = tasks.createTaskQuery().processDefinitionKey(PROCESS_KEY).taskDefinitionKey(ActivityIds.DECIDE)
          .taskCandidateUser(userId).list();
      if (open.isEmpty()) {
        return "You have no pending request to answer; nothing was recorded.";
      }
      if (open.size() > 1) {
        return "You have " + open.size() + " pending requests; put the code in your reply, such as APPROVE 4821. Nothing was recorded.";
      }
      requestId = open.get(0).getProcessInstanceId();
    }
    String code = reply.code() != null ? reply.code()
        : approvals.find(requestId).map(ApprovalView::code).orElse("");
    if (reply.kind() == SmsReply.Kind.ESCALATE) {
      return escalate(requestId, userId, code);
    }
    String decision = reply.kind() == SmsReply.Kind.APPROVE ? Decision.APPROVE : Decision.REJECT;
    try {
      ApprovalView decided = decisions.decide(requestId, userId, decision, reply.text(), SMS);
      String what = decided.projectSlug() + (decided.branch() == null ? "" : " " + decided.branch());
      return Decision.APPROVE.equals(decision)
          ? "Recorded: you approved " + what + " (" + code + "). " + GateKinds.systemName(decided.gate()) + " will be told."
          : "Recorded: you rejected " + what + " (" + code + "). " + GateKinds.willBeStopped(decided.gate());
    } catch (ApiException refused) {
      return refusal(refused, code);
    }
  }

  /** Only someone who may answer the request may have it escalated. */
  private String escalate(String requestId, String userId, String code) {
    if (!decisions.mayAnswer(requestId, userId)) {
      return "You are not an approver of request " + code + "; nothing was changed.";
    }
    if (!escalations.escalateNow(requestId)) {
      return "Everyone has been asked for request " + code + " already; nothing was changed.";
    }
    String newlyAsked = (String) runtime.getVariable(requestId, TO_ASK);
    return newlyAsked == null || newlyAsked.isBlank()
        ? "Escalated request " + code + ", but there is nobody more to ask; it stays open until its deadline."
        : "Escalated: " + newlyAsked.replace(",", ", ") + (newlyAsked.contains(",") ? " are" : " is") + " being asked about request " + code + ".";
  }

  private static String refusal(ApiException refused, String code) {
    return switch (refused.toError().error()) {
      case Refusals.NOT_AN_APPROVER -> "You are not an approver of request " + code + "; nothing was recorded.";
      case Refusals.OWN_DEPLOYMENT -> "You cannot approve your own deployment (" + code + "); nothing was recorded.";
      case Refusals.COMMENT_REQUIRED -> "A rejection needs a reason: REJECT " + code + " <reason>. Nothing was recorded.";
      case Refusals.COMMENT_TOO_LONG -> "Your reason is too long; keep it under " + DecisionRules.LONGEST_COMMENT + " characters. Nothing was recorded.";
      case Refusals.EXPIRED -> "Request " + code + " has expired; nothing was recorded.";
      case Refusals.NOT_READY -> "Request " + code + " is not ready for answers yet; try again in a minute. Nothing was recorded.";
      case Refusals.ALREADY_DECIDED -> "Request " + code + ": " + refused.getMessage() + " Nothing was recorded.";
      case Refusals.TOO_MANY_REFUSED_ANSWERS -> "Too many of your answers were refused lately; try again in a few minutes. "
          + "Nothing was recorded.";
      default -> refused.getMessage() + " Nothing was recorded.";
    };
  }

  /** A finished request that had this code: a late reply is told how it ended. Only looked at when no pending one has it. */
  private Optional<ApprovalView> endedRequest(String code) {
    List<HistoricProcessInstance> ended = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
        .finished().variableValueEquals(CODE, code).orderByProcessInstanceEndTime().desc().listPage(0, 1);
    return ended.stream().findFirst().flatMap(instance -> approvals.find(instance.getId()));
  }

  private static String outcome(ApprovalView approval) {
    String by = approval.decisions().stream().map(Decision::user).distinct().collect(Collectors.joining(", "));
    return approval.status().name().toLowerCase()
        + (by.isEmpty() || approval.status() == ApprovalStatus.EXPIRED ? "" : " (decided by " + by + ")");
  }
}
