package io.greenlight.sms;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An approver's SMS (docs/sms.md), read case-insensitively: {@code APPROVE 4821 [comment]}, {@code YES 4821},
 * {@code Y 4821}, {@code REJECT 4821 <reason>}, {@code NO 4821 <reason>}, {@code ESCALATE 4821}. The code may
 * be left out; digits right after the word are always the code, so a mistyped code is never read as a comment.
 */
public record SmsReply(Kind kind, String code, String text) {

  public enum Kind { APPROVE, REJECT, ESCALATE, NOT_UNDERSTOOD }

  /** Read in one pass: the text after the code is trimmed in Java, not by backtracking over whitespace. */
  private static final Pattern REPLY = Pattern.compile(
      "^(approve|yes|y|reject|no|escalate)\\b[\\s:.,-]*+(\\d++\\b)?(.*)$",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL | Pattern.UNICODE_CASE);

  public static SmsReply parse(String body) {
    Matcher matcher = REPLY.matcher(body == null ? "" : body.strip());
    if (!matcher.matches()) {
      return new SmsReply(Kind.NOT_UNDERSTOOD, null, null);
    }
    Kind kind = switch (matcher.group(1).toLowerCase()) {
      case "approve", "yes", "y" -> Kind.APPROVE;
      case "reject", "no" -> Kind.REJECT;
      default -> Kind.ESCALATE;
    };
    String text = matcher.group(3).isBlank() ? null : matcher.group(3).strip();
    return new SmsReply(kind, matcher.group(2), text);
  }
}
