package io.greenlight.voice;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What a call says and how it listens (TwiML): the request read out, then "press 1 to approve, 2 to reject, 3 to
 * escalate" in a {@code <Gather numDigits="1">} that posts the key to {@code /twilio/voice/gather?request=…&user=…}. A
 * key that means nothing, or silence, gets the question once more; after that the call ends.
 */
final class CallScript {

  static final String GATHER_PATH = "/twilio/voice/gather";
  static final String STATUS_PATH = "/twilio/voice/status";
  /** The query parameter marking the second time the question is asked. */
  static final String ATTEMPT = "attempt";
  static final String APPROVE_KEY = "1";
  static final String REJECT_KEY = "2";
  static final String ESCALATE_KEY = "3";
  private static final String QUESTION = "Press 1 to approve, 2 to reject, 3 to escalate.";
  private static final int LONGEST_NAME = 60;
  /** Seconds of silence before Twilio stops listening for the key. */
  private static final int LISTEN_SECONDS = 8;

  private CallScript() {}

  /** The request as read to the approver: who asks to deploy what. */
  static String request(String projectSlug, String branch, String commit, String requestedBy) {
    StringBuilder text = new StringBuilder("This is Greenlight. ");
    text.append(requestedBy == null || requestedBy.isBlank() ? "Someone" : shortened(requestedBy)).append(" asks to deploy ")
        .append(projectSlug == null ? "a project" : shortened(projectSlug));
    if (branch != null && !branch.isBlank()) {
      text.append(", branch ").append(shortened(branch));
    }
    if (commit != null && !commit.isBlank()) {
      // Letter by letter, as one reads a commit.
      text.append(", commit ").append(String.join(" ", commit.substring(0, Math.min(7, commit.length())).split("")));
    }
    return text.append('.').toString();
  }

  /** The first thing the call says: the request and the question; with no key at all it asks once more. */
  static String ask(String request, String gatherUrl) {
    return new VoiceResponse.Builder()
        .gather(listen(gatherUrl, request + " " + QUESTION))
        .redirect(new Redirect.Builder(gatherUrl).method(com.twilio.http.HttpMethod.POST).build())
        .build().toXml();
  }

  /** The question once more, after a key that means nothing or none; then the call ends. */
  static String askAgain(String request, String gatherUrl, String because) {
    String again = gatherUrl + "&" + ATTEMPT + "=2";
    return new VoiceResponse.Builder()
        .gather(listen(again, because + " " + request + " " + QUESTION))
        .say(say("No answer was recorded. Goodbye."))
        .hangup(new Hangup.Builder().build())
        .build().toXml();
  }

  /** Says {@code text} and ends the call. */
  static String sayAndHangUp(String text) {
    return new VoiceResponse.Builder().say(say(text)).hangup(new Hangup.Builder().build()).build().toXml();
  }

  static String gatherUrl(String base, String requestId, String userId) {
    return base + GATHER_PATH + "?request=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8)
        + "&user=" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
  }

  private static Gather listen(String action, String text) {
    return new Gather.Builder().numDigits(1).timeout(LISTEN_SECONDS).action(action)
        .method(com.twilio.http.HttpMethod.POST).say(say(text)).build();
  }

  private static Say say(String text) {
    return new Say.Builder(text).build();
  }

  private static String shortened(String name) {
    String oneLine = name.replaceAll("\\s+", " ").trim();
    return oneLine.length() > LONGEST_NAME ? oneLine.substring(0, LONGEST_NAME) : oneLine;
  }
}
