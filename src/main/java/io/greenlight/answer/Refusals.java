package io.greenlight.answer;

/**
 * Why an answer is refused: the {@code error} codes every channel gives (a contract: scripts read them in the decision
 * API's answers, and the timeline keeps them). In one place, so no channel spells one differently; the words that go
 * with them are {@link Refusal}'s.
 */
public final class Refusals {

  public static final String NOT_AN_APPROVER = "not_an_approver";
  public static final String OWN_DEPLOYMENT = "own_deployment";
  /** The person wrote or committed part of the change being deployed ({@code greenlight.approvals.authors-may-approve}). */
  public static final String AUTHORED_CHANGE = "authored_change";
  public static final String ALREADY_APPROVED = "already_approved";
  public static final String COMMENT_REQUIRED = "comment_required";
  /** Deploys of the project are frozen: only the break-glass group may approve (with a reason). */
  public static final String FROZEN = "frozen";
  public static final String COMMENT_TOO_LONG = "comment_too_long";
  public static final String EXPIRED = "expired";
  public static final String NOT_READY = "not_ready";
  public static final String ALREADY_DECIDED = "already_decided";
  /** The channel delivered the message carrying the answer a second time: it was taken the first time. */
  public static final String ALREADY_TAKEN = "already_taken";
  public static final String TOO_MANY_REFUSED_ANSWERS = "too_many_refused_answers";
  public static final String INVALID_DECISION = "invalid_decision";
  public static final String INVALID_COMMENT = "invalid_comment";
  /** The phone number, Slack account or user the answer came from is not in the directory. */
  public static final String UNKNOWN_PERSON = "unknown_person";
  /** No request has that id (the API answers 404 with it). */
  public static final String UNKNOWN_REQUEST = "not_found";
  /** No request, pending or ended, has that SMS code. */
  public static final String UNKNOWN_CODE = "unknown_code";
  /** The answer named no request and the person has none pending. */
  public static final String NO_PENDING_REQUEST = "no_pending_request";
  /** The answer named no request and the person has several pending. */
  public static final String SEVERAL_PENDING = "several_pending";

  private Refusals() {}
}
