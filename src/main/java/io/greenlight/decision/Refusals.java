package io.greenlight.decision;

/**
 * Why an answer is refused: the {@code error} codes of the decision API's answers (a contract: scripts read them), which
 * every channel words in its own way (an SMS reply, a 4xx). In one place, so no channel spells one differently.
 */
public final class Refusals {

  public static final String NOT_AN_APPROVER = "not_an_approver";
  public static final String OWN_DEPLOYMENT = "own_deployment";
  public static final String COMMENT_REQUIRED = "comment_required";
  public static final String COMMENT_TOO_LONG = "comment_too_long";
  public static final String EXPIRED = "expired";
  public static final String NOT_READY = "not_ready";
  public static final String ALREADY_DECIDED = "already_decided";
  public static final String TOO_MANY_REFUSED_ANSWERS = "too_many_refused_answers";
  public static final String INVALID_DECISION = "invalid_decision";
  public static final String INVALID_COMMENT = "invalid_comment";

  private Refusals() {}
}
