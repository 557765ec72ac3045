package io.greenlight.answer;

/**
 * One answer as a channel received it: who gave it, which request it is about, what they want, their reason, and the
 * channel it came through. Channels only read their own format into this and render the {@link Outcome}; everything in
 * between ({@link Answering}) is the same for all of them.
 *
 * @param deliveryId the channel's own id of the message that carried the answer (Twilio's MessageSid), when the channel
 *     may deliver it twice: the answer is then taken once; null when it has none
 */
public record Answer(Answerer who, RequestRef request, Action action, String reason, String channel, String deliveryId) {

  public enum Action { APPROVE, REJECT, ESCALATE }

  public Answer(Answerer who, RequestRef request, Action action, String reason, String channel) {
    this(who, request, action, reason, channel, null);
  }

  /**
   * Who answered, as the channel knows them: a directory user (signed in, or named by a signed Twilio call), or the
   * phone number or Slack account the answer came from, which the directory may or may not know.
   */
  public record Answerer(Kind kind, String key) {

    public enum Kind { USER, PHONE, SLACK }

    public static Answerer user(String userId) {
      return new Answerer(Kind.USER, userId);
    }

    public static Answerer phone(String number) {
      return new Answerer(Kind.PHONE, number);
    }

    public static Answerer slack(String memberId) {
      return new Answerer(Kind.SLACK, memberId);
    }

    /** What refusals are counted under while nobody in the directory is known by it. */
    String unknownKey() {
      return kind.name().toLowerCase() + ":" + key;
    }
  }

  /** Which request: by its id, by its SMS code, or the answerer's only pending one. */
  public record RequestRef(String id, String code) {

    public static RequestRef id(String requestId) {
      return new RequestRef(requestId, null);
    }

    public static RequestRef code(String code) {
      return new RequestRef(null, code);
    }

    public static RequestRef onlyPending() {
      return new RequestRef(null, null);
    }
  }
}
