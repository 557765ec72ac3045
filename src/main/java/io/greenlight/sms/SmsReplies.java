package io.greenlight.sms;

import io.greenlight.answer.Answer;
import io.greenlight.answer.Answer.Action;
import io.greenlight.answer.Answer.Answerer;
import io.greenlight.answer.Answer.RequestRef;
import io.greenlight.answer.Answering;
import io.greenlight.answer.Outcome;
import io.greenlight.answer.OutcomeWords;
import io.greenlight.answer.Refusals;
import io.greenlight.approval.ApprovalView;
import java.sql.Timestamp;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads an approver's SMS ({@link SmsReply}) into an {@link Answer} and words its {@link Outcome} as the reply, so every
 * message gets an answer saying what was recorded or exactly why nothing was. A message Twilio delivers twice (same
 * MessageSid) is recorded once, and answered again with the first answer.
 */
@Component
public class SmsReplies {

  static final String SMS = "sms";
  /** Twilio's longest message, in characters. */
  private static final int LONGEST_SMS = 1600;
  private static final String HOW_TO_ANSWER = "Reply APPROVE <code>, REJECT <code> <reason> or ESCALATE <code>.";

  private final Answering answering;
  private final JdbcTemplate jdbc;

  public SmsReplies(Answering answering, JdbcTemplate jdbc) {
    this.answering = answering;
    this.jdbc = jdbc;
  }

  public String answer(String from, String body, String messageSid) {
    for (String earlier : jdbc.queryForList("select reply from greenlight_inbound_sms where message_sid = ?", String.class,
        messageSid)) {
      return earlier;
    }
    String reply = reply(from, body, messageSid);
    try {
      jdbc.update("insert into greenlight_inbound_sms (message_sid, reply, received_at) values (?, ?, ?)",
          messageSid, reply, new Timestamp(ClockUtil.getCurrentTime().getTime()));
    } catch (DuplicateKeyException answeredAtTheSameTime) {
      // the same message delivered twice at once: its answer was taken once (the delivery id), either reply will do
    }
    return reply;
  }

  private String reply(String from, String body, String messageSid) {
    if (body != null && body.length() > LONGEST_SMS) {
      return "Your message is longer than an SMS can be; nothing was recorded. " + HOW_TO_ANSWER;
    }
    SmsReply reply = SmsReply.parse(body);
    if (reply.kind() == SmsReply.Kind.NOT_UNDERSTOOD) {
      return "Greenlight did not understand that; nothing was recorded. " + HOW_TO_ANSWER;
    }
    Action action = switch (reply.kind()) {
      case APPROVE -> Action.APPROVE;
      case REJECT -> Action.REJECT;
      default -> Action.ESCALATE;
    };
    RequestRef which = reply.code() == null ? RequestRef.onlyPending() : RequestRef.code(reply.code());
    Outcome outcome = answering.take(new Answer(Answerer.phone(from), which, action, reply.text(), SMS, SMS + ":" + messageSid));
    String words = OutcomeWords.of(outcome, SmsReplies::what);
    if (outcome instanceof Outcome.Refused refused) {
      // How to say it right in an SMS, where that is what was missing.
      return words + switch (refused.refusal().code()) {
        case Refusals.COMMENT_REQUIRED -> " Reply " + (action == Action.APPROVE ? "APPROVE " : "REJECT ")
            + (reply.code() == null ? "<code>" : reply.code()) + " <reason>.";
        case Refusals.SEVERAL_PENDING -> " Put the code in your reply, such as APPROVE 4821.";
        default -> "";
      };
    }
    return words;
  }

  /** The request as an approver knows it from the SMS that asked them: project, branch, code. */
  private static String what(ApprovalView approval) {
    return approval.projectSlug() + (approval.branch() == null ? "" : " " + approval.branch())
        + (approval.code() == null ? "" : " (" + approval.code() + ")");
  }
}
