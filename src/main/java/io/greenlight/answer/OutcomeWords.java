package io.greenlight.answer;

import io.greenlight.answer.Answer.Action;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.GateKinds;
import java.util.function.Function;

/**
 * The sentence a person reads (or hears) about what became of their answer, the same on every channel; {@code what}
 * names the request as that channel's message named it (with its SMS code in an SMS, say).
 */
public final class OutcomeWords {

  private OutcomeWords() {}

  public static String of(Outcome outcome, Function<ApprovalView, String> what) {
    if (outcome instanceof Outcome.Recorded recorded) {
      return recorded.action() == Action.APPROVE
          ? "Recorded: you approved " + what.apply(recorded.approval()) + ". " + (recorded.stillMissing() == 0
              ? GateKinds.systemName(recorded.approval().gate()) + " will be told."
              : recorded.stillMissing() + " more approval" + (recorded.stillMissing() == 1 ? " is" : "s are") + " needed.")
          : "Recorded: you rejected " + what.apply(recorded.approval()) + ". " + GateKinds.willBeStopped(recorded.approval().gate());
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
