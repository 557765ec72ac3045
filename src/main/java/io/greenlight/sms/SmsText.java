package io.greenlight.sms;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The texts Greenlight sends by SMS (docs/sms.md), kept within two SMS segments: 306 characters of the
 * GSM 7-bit alphabet, or 134 when a character outside it forces UCS-2. Long project, branch or requester
 * names are shortened, never the code or how to answer.
 */
public final class SmsText {

  static final int GSM_TWO_SEGMENTS = 306;
  static final int UCS2_TWO_SEGMENTS = 134;
  /** A few commit lines at most: an SMS is for deciding, the history page for reading. */
  static final int COMMITS_IN_SMS = 3;
  private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  private SmsText() {}

  /** {@code Deploy approval: gh/acme/shop main abc1234 by octocat. Reply APPROVE 4821 or REJECT 4821 <reason>. Expires 17:05 UTC.} */
  public static String approvalRequest(String projectSlug, String branch, String commit, String requestedBy,
                                       String code, Instant expiresAt) {
    return approvalRequest(projectSlug, branch, commit, requestedBy, code, expiresAt, null, List.of());
  }

  /**
   * With the change being deployed: its short line ("12 commits by bob-gh since the deploy alice approved (a1b2c3d).")
   * and as many of its commit lines as fit; the change is what is left out first when the text is too long.
   */
  public static String approvalRequest(String projectSlug, String branch, String commit, String requestedBy,
                                       String code, Instant expiresAt, String change, List<String> commits) {
    String base = approvalRequestAlone(projectSlug, branch, commit, requestedBy, code, expiresAt);
    if (change == null) {
      return base;
    }
    String withChange = base + " " + change.replaceAll("\\s+", " ").trim();
    if (!fitsTwoSegments(withChange)) {
      return base;
    }
    for (String line : commits.stream().limit(COMMITS_IN_SMS).toList()) {
      String more = withChange + " " + line.replaceAll("\\s+", " ").trim() + ".";
      if (!fitsTwoSegments(more)) {
        break;
      }
      withChange = more;
    }
    return withChange;
  }

  private static String approvalRequestAlone(String projectSlug, String branch, String commit, String requestedBy,
                                             String code, Instant expiresAt) {
    String how = ". Reply APPROVE " + code + " or REJECT " + code + " <reason>."
        + (expiresAt == null ? "" : " Expires " + TIME.format(expiresAt) + " UTC.");
    String[] parts = {projectSlug, branch, commit == null ? null : commit.substring(0, Math.min(7, commit.length())),
        requestedBy == null ? null : "by " + requestedBy};
    for (int longest = 120; longest >= 8; longest -= 8) {
      String text = "Deploy approval: " + join(parts, longest) + how;
      if (fitsTwoSegments(text)) {
        return text;
      }
    }
    return "Deploy approval. Reply APPROVE " + code + " or REJECT " + code + " <reason>.";
  }

  /**
   * {@code text} after {@code lead} (that deploys are frozen, or open again), within two segments: the lead whole before
   * {@code text}, else before the shorter {@code orShorter} (without the change), else cut short; never the code or how
   * to answer. {@code text} alone without a lead.
   */
  public static String withLead(String lead, String text, String orShorter) {
    if (lead == null || lead.isBlank()) {
      return text;
    }
    String oneLine = lead.replaceAll("\\s+", " ").trim();
    for (String after : List.of(text, orShorter)) {
      if (fitsTwoSegments(oneLine + " " + after)) {
        return oneLine + " " + after;
      }
    }
    // FROZEN (or Deploys) stays first, whatever is cut from the reason.
    String firstWord = oneLine.split(" ", 2)[0];
    for (int keep = oneLine.length() - 1; keep > firstWord.length(); keep--) {
      String shorter = oneLine.substring(0, keep).trim() + "... " + orShorter;
      if (fitsTwoSegments(shorter)) {
        return shorter;
      }
    }
    return firstWord + " " + orShorter;
  }

  static boolean fitsTwoSegments(String text) {
    boolean gsm = text.chars().allMatch(c -> GSM_BASIC.indexOf(c) >= 0);
    return text.length() <= (gsm ? GSM_TWO_SEGMENTS : UCS2_TWO_SEGMENTS);
  }

  private static String join(String[] parts, int longest) {
    StringBuilder text = new StringBuilder();
    for (String part : parts) {
      if (part == null || part.isBlank()) {
        continue;
      }
      String oneLine = part.replaceAll("\\s+", " ").trim();
      text.append(text.isEmpty() ? "" : " ")
          .append(oneLine.length() > longest ? oneLine.substring(0, longest - 3) + "..." : oneLine);
    }
    return text.toString();
  }
}
