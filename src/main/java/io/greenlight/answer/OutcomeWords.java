package io.greenlight.answer;

import io.greenlight.answer.Answer.Action;
import io.greenlight.approval.ApprovalView;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sentence a person reads (or hears) about what became of their answer, the same on every channel; {@code what}
 * names the request as that channel's message named it (with its SMS code in an SMS, say).
 */
public final class OutcomeWords {

  private OutcomeWords() {}

  /**
   * What an approval leaves to do: nothing ("CircleCI will be told."), more approvals ("1 more approval is needed."), or,
   * with rules across groups, which ones ("Still needed: 1 from security.").
   */
  private static String stillNeeded(Outcome.Recorded recorded) {
    List<ApprovalView.Rule> missing = recorded.stillNeeded();
    if (recorded.approval().breakGlass() != null) {
      return "As a break-glass approval during the freeze it decides alone: "
          + recorded.approval().gate().systemName() + " will be told, and the deploy will be reviewed.";
    }
    if (missing.isEmpty()) {
      return recorded.approval().gate().systemName() + " will be told.";
    }
    if (recorded.approval().rules().size() == 1) {
      int more = missing.get(0).missing();
      return more + " more approval" + (more == 1 ? " is" : "s are") + " needed.";
    }
    return "Still needed: " + missing.stream().map(rule -> rule.missing() + " from " + rule.group())
        .collect(Collectors.joining(", ")) + ".";
  }

  public static String of(Outcome outcome, Function<ApprovalView, String> what) {
    if (outcome instanceof Outcome.Recorded recorded) {
      return recorded.action() == Action.APPROVE
          ? "Recorded: you approved " + what.apply(recorded.approval()) + ". " + stillNeeded(recorded)
          : "Recorded: you rejected " + what.apply(recorded.approval()) + ". " + recorded.approval().gate().willBeStopped();
    }
    if (outcome instanceof Outcome.Escalated escalated) {
      return escalated.newlyAsked().isEmpty()
          ? "Escalated " + what.apply(escalated.approval()) + ", but there is nobody more to ask; it stays open until its deadline."
          : "Escalated: " + String.join(", ", escalated.newlyAsked()) + (escalated.newlyAsked().size() > 1 ? " are" : " is")
              + " being asked about " + what.apply(escalated.approval()) + ".";
    }
    if (outcome instanceof Outcome.NothingMoreToAsk nothingMore) {
      return "Everyone has been asked about " + what.apply(nothingMore.approval()) + " already; nothing was changed.";
    }
    return ((Outcome.Refused) outcome).refusal().message();
  }
}
