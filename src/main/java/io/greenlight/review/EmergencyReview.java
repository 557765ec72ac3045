package io.greenlight.review;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.BRANCH;
import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS;
import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS_AT;
import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS_BY;
import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS_REASON;
import static io.greenlight.approval.ApprovalVariables.COMMIT;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.RETRY_CYCLE;
import static io.greenlight.approval.ApprovalVariables.REVIEW_DUE;
import static io.greenlight.approval.ApprovalVariables.REVIEW_PROCESS_KEY;

import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.BreakGlass;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Approvers;
import io.greenlight.directory.Directory;
import io.greenlight.freeze.FreezeProperties;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * {@code ${emergencyReview.startIfBreakGlass(execution)}} (end listener of "Deployment approved"): a deploy approved by
 * the break-glass group is reviewed by the request's normal approvers, within {@code greenlight.freezes.review-within}
 * of the approval. The review is a process of its own ({@code emergency-deploy-review}) whose business key is the
 * request's id, so the request's timeline finds it.
 */
@Component("emergencyReview")
public class EmergencyReview {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private final Directory directory;
  private final FreezeProperties settings;

  public EmergencyReview(Directory directory, FreezeProperties settings) {
    this.directory = directory;
    this.settings = settings;
  }

  public void startIfBreakGlass(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    BreakGlass breakGlass = request.json(BREAK_GLASS, BreakGlass.class);
    if (breakGlass == null) {
      return;
    }
    execution.getProcessEngineServices().getRuntimeService().startProcessInstanceByKey(REVIEW_PROCESS_KEY,
        execution.getProcessInstanceId(), Variables.createVariables()
            .putValue(REQUEST_ID, execution.getProcessInstanceId())
            .putValue(PROJECT_SLUG, request.text(PROJECT_SLUG))
            .putValue(BRANCH, request.text(BRANCH))
            .putValue(COMMIT, request.text(COMMIT))
            .putValue(REQUESTED_BY, request.text(REQUESTED_BY))
            .putValue(APPROVER_GROUP, request.text(APPROVER_GROUP))
            .putValue(BREAK_GLASS_BY, breakGlass.by())
            .putValue(BREAK_GLASS_REASON, breakGlass.reason())
            .putValue(BREAK_GLASS_AT, TIME.format(breakGlass.at()))
            .putValue(RETRY_CYCLE, execution.getVariable(RETRY_CYCLE))
            .putValue(REVIEW_DUE, Date.from(breakGlass.at().plus(settings.reviewWithin()))));
  }

  /** The review is for the request's normal approver groups (the main rule's, as the pipeline or the table named them). */
  public List<String> candidateGroups(DelegateExecution execution) {
    return reviewers(execution).groups();
  }

  public List<String> candidateUsers(DelegateExecution execution) {
    return reviewers(execution).users();
  }

  Approvers reviewers(VariableScope review) {
    Object named = review.getVariable(APPROVER_GROUP);
    return directory.approvers(ApproverNames.parse(named == null ? "" : named.toString()), null);
  }
}
