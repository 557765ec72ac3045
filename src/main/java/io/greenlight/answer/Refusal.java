package io.greenlight.answer;

import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.Decision;
import io.greenlight.approval.Stage;
import io.greenlight.freeze.ActiveFreeze;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Why nothing was recorded: a code from {@link Refusals} and the one sentence every channel shows a person for it (SMS
 * replies, Slack messages, what a call says, the API's and Tasklist's error). Every sentence says that nothing was
 * recorded, so no channel needs to add it.
 *
 * @param field the part of the answer at fault ({@code decision}, {@code comment}), or null
 */
public record Refusal(String code, String field, String message) {

  static final String NOTHING_RECORDED = " Nothing was recorded.";

  private static Refusal of(String code, String field, String sentence) {
    return new Refusal(code, field, sentence + NOTHING_RECORDED);
  }

  static Refusal invalidDecision() {
    return of(Refusals.INVALID_DECISION, "decision", "The decision must be 'approve' or 'reject'.");
  }

  static Refusal commentRequired() {
    return of(Refusals.COMMENT_REQUIRED, "comment", "A rejection needs a reason.");
  }

  static Refusal breakGlassReasonRequired() {
    return of(Refusals.COMMENT_REQUIRED, "comment",
        "Deploys are frozen: a break-glass approval needs a reason, the emergency this deploy answers.");
  }

  /** Deploys of the project are frozen (the reason, until when), and who may still approve. */
  static Refusal frozen(ActiveFreeze freeze, String breakGlassGroup) {
    return of(Refusals.FROZEN, null, "Deploys of this project are frozen until " + freeze.until() + " (" + freeze.reason()
        + "). Only the " + breakGlassGroup + " group may approve now, with a reason; rejecting is still possible.");
  }

  static Refusal commentTooLong(int longest) {
    return of(Refusals.COMMENT_TOO_LONG, "comment", "The reason is longer than " + longest + " characters.");
  }

  static Refusal invalidComment() {
    return of(Refusals.INVALID_COMMENT, "comment",
        "The reason has control characters or bidirectional overrides; write it as plain text.");
  }

  static Refusal notAnApprover(String userId, String approvers) {
    return of(Refusals.NOT_AN_APPROVER, null, (userId == null ? "An unknown user" : userId)
        + " is not an approver of this request" + (approvers.isEmpty() ? "." : " (" + approvers + ")."));
  }

  static Refusal ownDeployment() {
    return of(Refusals.OWN_DEPLOYMENT, null, "Nobody may approve their own deployment.");
  }

  static Refusal authoredChange() {
    return of(Refusals.AUTHORED_CHANGE, null, "You wrote or committed part of this change, and nobody may approve their own change.");
  }

  static Refusal alreadyApproved() {
    return of(Refusals.ALREADY_APPROVED, null, "You approved already; this request needs approvals from different people.");
  }

  /** The channel delivered the same message twice: its answer was taken once. */
  static Refusal alreadyTaken() {
    return new Refusal(Refusals.ALREADY_TAKEN, null, "This message was taken already; it counts once.");
  }

  static Refusal tooManyRefused(String limitMessage) {
    return new Refusal(Refusals.TOO_MANY_REFUSED_ANSWERS, null, limitMessage);
  }

  static Refusal unknownPerson(Answer.Answerer who) {
    return of(Refusals.UNKNOWN_PERSON, null, switch (who.kind()) {
      case PHONE -> "Greenlight does not know this phone number. Ask an admin to add it to the directory.";
      case SLACK -> "Greenlight does not know your Slack account. Ask an admin to add slack: " + who.key()
          + " to your entry in the directory.";
      case USER -> "Greenlight does not know you (" + who.key() + ") any more.";
    });
  }

  static Refusal unknownRequest() {
    return of(Refusals.UNKNOWN_REQUEST, null, "Greenlight knows no such request.");
  }

  static Refusal unknownCode(String code) {
    return of(Refusals.UNKNOWN_CODE, null, "No request has the code " + code + ".");
  }

  static Refusal noPendingRequest() {
    return of(Refusals.NO_PENDING_REQUEST, null, "You have no pending request to answer.");
  }

  static Refusal severalPending(int count) {
    return of(Refusals.SEVERAL_PENDING, null, "You have " + count + " pending requests; say which one with its code.");
  }

  /** The request was decided, or has ended: how, and by whom. */
  static Refusal alreadyDecided(ApprovalView approval) {
    String by = approval.decisions().stream().map(Decision::user).distinct().collect(Collectors.joining(", "));
    if (approval.status() == ApprovalStatus.EXPIRED) {
      return of(Refusals.EXPIRED, null, "The request expired" + (approval.endedAt() == null ? "" : " at " + approval.endedAt())
          + ".");
    }
    return of(Refusals.ALREADY_DECIDED, null, approval.status() == ApprovalStatus.PENDING
        ? "The request was already decided by " + by + "; the outcome is being carried to "
            + approval.gate().systemName() + "."
        : "The request is already " + approval.status().name().toLowerCase() + (by.isEmpty() ? "" : " (decided by " + by + ")")
            + ".");
  }

  static Refusal expired(ApprovalView approval, Instant at) {
    return of(Refusals.EXPIRED, null, "The request expired at " + at + ". " + approval.gate().willBeStopped());
  }

  /** Not asking anyone yet: still finding the gate, or choosing and asking the approvers. */
  static Refusal notReady(ApprovalView approval) {
    String doing = approval.stage() == Stage.FINDING_GATE
        ? "Greenlight is still looking up the gate in " + approval.gate().systemName() + " (it may not be on hold yet)"
        : "Greenlight is still choosing and asking the approvers";
    return of(Refusals.NOT_READY, null, "The request is not waiting for a decision yet: " + doing + ". Try again shortly.");
  }

  /** Too many answers are waiting for requests being set up: this one is not kept waiting too. */
  static Refusal notReadyAndBusy() {
    return of(Refusals.NOT_READY, null,
        "The request is still being set up and many answers are waiting for requests to be ready. Try again shortly.");
  }
}
