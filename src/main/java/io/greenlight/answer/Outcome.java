package io.greenlight.answer;

import io.greenlight.approval.ApprovalView;
import java.util.List;

/** What became of an {@link Answer}: the closed set every channel renders in its own format. */
public sealed interface Outcome {

  /** The request as it stands after the answer; null when the answer was refused. */
  ApprovalView approval();

  /**
   * The approval or rejection is recorded; the request's {@code rules} say what it still needs.
   */
  record Recorded(ApprovalView approval, Answer.Action action) implements Outcome {

    /** The rules still missing approvals; none once the request is decided. */
    public List<ApprovalView.Rule> stillNeeded() {
      return approval.rules() == null || approval.decisions().stream().anyMatch(d -> "reject".equals(d.decision())) ? List.of()
          : approval.rules().stream().filter(rule -> rule.missing() > 0).toList();
    }
  }

  /** The request's next level is being asked now: {@code newlyAsked} (user ids; empty when the level had nobody new). */
  record Escalated(ApprovalView approval, List<String> newlyAsked) implements Outcome {}

  /** An escalation was asked for, but everyone the request may ask has been asked already: nothing changed. */
  record NothingMoreToAsk(ApprovalView approval) implements Outcome {}

  /** Nothing was recorded, for the reason given ({@link Refusal#code()}: a contract, scripts read it). */
  record Refused(Refusal refusal) implements Outcome {

    @Override
    public ApprovalView approval() {
      return null;
    }
  }
}
