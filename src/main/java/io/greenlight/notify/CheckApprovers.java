package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.FAILURE_REASON;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.RULES;

import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Approvers;
import io.greenlight.directory.Directory;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Check that someone can approve": every approver the request names (or the routing table gave) is a group or user of
 * the directory, and someone other than the requester is among them. Otherwise nobody could ever answer and the
 * request would wait for its deadline in silence: it fails at once with the business error {@value #NO_APPROVERS}.
 * The API asks the same question before it starts a request.
 */
@Component("checkApprovers")
public class CheckApprovers implements JavaDelegate {

  public static final String NO_APPROVERS = "NO_APPROVERS";

  private static final Logger log = LoggerFactory.getLogger(CheckApprovers.class);

  private final Directory directory;

  public CheckApprovers(Directory directory) {
    this.directory = directory;
  }

  /** Why nobody could approve: {@code code} for the API's error, {@code message} for people. */
  public record Problem(String code, String message) {}

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    String named = request.text(APPROVER_GROUP);
    Optional<Problem> problem = problemWith(named, request.text(REQUESTED_BY));
    List<ApprovalRule> rules = request.list(RULES, ApprovalRule.class);
    for (int index = 1; index < rules.size() && problem.isEmpty(); index++) {
      problem = problemWithRule(rules.get(index), request.text(REQUESTED_BY));
    }
    if (problem.isPresent()) {
      String reason = problem.get().message();
      log.warn("Request {} fails: {} Fix the directory file or the routing table (approver-routing).",
          execution.getProcessInstanceId(), reason);
      execution.setVariable(FAILURE_REASON, reason);
      throw new BpmnError(NO_APPROVERS, reason);
    }
  }

  /** What keeps a rule the routing table added from ever being met: its group as for the main one, or too few people in it. */
  private Optional<Problem> problemWithRule(ApprovalRule rule, String requestedBy) {
    Optional<Problem> problem = problemWith(rule.group(), requestedBy);
    if (problem.isEmpty()) {
      int people = directory.everyoneToAsk(directory.approvers(ApproverNames.parse(rule.group()), null), requestedBy).size();
      if (people < rule.required()) {
        problem = Optional.of(new Problem("no_approvers", "Nobody can approve: the rule for " + rule.readableGroup() + " needs "
            + rule.required() + " approvals, and only " + people + " people other than the requester can give one."));
      }
    }
    return problem.map(found -> new Problem(found.code(), "The routing table's additional approvals: " + found.message()));
  }

  /** What keeps {@code named} approvers from answering a request of {@code requestedBy}; empty when someone can. */
  public Optional<Problem> problemWith(String named, String requestedBy) {
    List<String> names = ApproverNames.parse(named);
    if (names.isEmpty()) {
      return Optional.of(new Problem("no_approvers", "No approvers are named for this request, and the routing table gives none."));
    }
    Approvers approvers = directory.approvers(names, null);
    if (!approvers.unknown().isEmpty()) {
      return Optional.of(new Problem("unknown_approvers", "The directory has no group or user named "
          + approvers.unknown().stream().map(name -> "'" + name + "'").collect(Collectors.joining(", ")) + "."));
    }
    if (directory.everyoneToAsk(approvers, requestedBy).isEmpty()) {
      boolean onlyTheRequester = !directory.everyoneToAsk(approvers, null).isEmpty();
      return Optional.of(new Problem("no_approvers", onlyTheRequester
          ? "Nobody can approve: the requester is the only one in " + approvers.describe()
              + ", and nobody may approve their own deployment."
          : "Nobody can approve: nobody is in " + approvers.describe() + "."));
    }
    return Optional.empty();
  }
}
