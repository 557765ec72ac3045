package io.greenlight.review;

import static io.greenlight.approval.ApprovalVariables.ACKNOWLEDGED;
import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS_BY;
import static io.greenlight.approval.ApprovalVariables.COMMENT;
import static io.greenlight.approval.ApprovalVariables.CONCERN;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.REVIEWED_AT;
import static io.greenlight.approval.ApprovalVariables.REVIEWED_BY;
import static io.greenlight.approval.ApprovalVariables.REVIEW_OUTCOME;

import io.greenlight.answer.DecisionRefusedException;
import io.greenlight.answer.DecisionRules;
import io.greenlight.answer.Refusal;
import io.greenlight.directory.Directory;
import io.greenlight.web.SafeText;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/**
 * Complete listener of "Review emergency deploy": {@code acknowledged}, or {@code concern} with a comment, given by
 * someone other than who broke the glass; recorded with who reviewed and when. A refused review leaves the task open.
 */
@Component("recordReview")
public class RecordReview implements TaskListener {

  private final Directory directory;

  public RecordReview(Directory directory) {
    this.directory = directory;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication authentication = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
    String userId = authentication == null ? null : authentication.getUserId();
    Object outcome = task.getVariable(REVIEW_OUTCOME);
    Object comment = task.getVariable(COMMENT);
    String text = comment == null ? "" : comment.toString().trim();
    if (!ACKNOWLEDGED.equals(outcome) && !CONCERN.equals(outcome)) {
      throw refused(REVIEW_OUTCOME, "The review must be 'acknowledged' or 'concern'.");
    }
    if (CONCERN.equals(outcome) && text.isEmpty()) {
      throw refused(COMMENT, "A concern needs a comment saying what it is.");
    }
    if (text.length() > DecisionRules.LONGEST_COMMENT || !SafeText.isLines(text)) {
      throw refused(COMMENT, "The comment must be plain text of at most " + DecisionRules.LONGEST_COMMENT + " characters.");
    }
    if (userId != null && userId.equals(task.getVariable(BREAK_GLASS_BY))) {
      throw refused(null, "Whoever broke the glass does not review their own emergency deploy.");
    }
    if (userId != null && directory.isRequester(userId, (String) task.getVariable(REQUESTED_BY))) {
      throw refused(null, "Whoever asked for the deploy does not review it.");
    }
    task.setVariable(COMMENT, text);
    task.setVariable(REVIEWED_BY, userId);
    task.setVariable(REVIEWED_AT, ClockUtil.getCurrentTime().toInstant().toString());
  }

  private static DecisionRefusedException refused(String field, String sentence) {
    return new DecisionRefusedException(new Refusal("invalid_review", field, sentence + " Nothing was recorded."));
  }
}
