package io.greenlight.approval;

import static io.greenlight.approval.ApprovalVariables.CHANGES;
import static io.greenlight.approval.ApprovalVariables.CHANGES_UNKNOWN;

import io.greenlight.approval.ApprovalView.Changes;
import io.greenlight.approval.ApprovalView.Commit;
import java.util.List;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * The change a request deploys in the words messages to approvers use (SMS, Slack, a call, e-mail): one short line,
 * and the listed commits one a line. Depends on the request's vocabulary only, so every channel may use it.
 */
public final class ChangeSummary {

  /** Authors named in the short line; the rest are counted ("and 3 more"), to keep an SMS short. */
  private static final int AUTHORS_NAMED = 3;

  private ChangeSummary() {}

  /**
   * "12 commits by bob-gh and carol-gh since the deploy alice approved (a1b2c3d).", "250+ commits by …", "No new
   * commits since …", or "Changes since the last approved deploy: unknown." when the change is not known (or not yet).
   */
  public static String shortLine(ApprovalView approval) {
    return shortLine(approval, null);
  }

  /**
   * As {@link #shortLine(ApprovalView)}, with why the change is not known (the request's {@code changesUnknown}
   * variable, which the view does not carry) added when it is not: "Changes since the last approved deploy: unknown. No
   * earlier deploy of this gate was approved in Greenlight."
   */
  public static String shortLine(ApprovalView approval, String changesUnknown) {
    return shortLine(approval.changes(), changesUnknown);
  }

  /** The short line from a running request's variables: while the change is still being looked up, it says so. */
  public static String shortLine(VariableScope request) {
    return shortLine(RequestVariables.of(request).json(CHANGES, Changes.class), unknownReason(request));
  }

  /** The listed commits from a running request's variables, one a line. */
  public static List<String> lines(VariableScope request, int max) {
    return lines(RequestVariables.of(request).json(CHANGES, Changes.class), max);
  }

  /** What a call says of the change: how many commits and by whom, or that it is not known. */
  public static String spoken(VariableScope request) {
    Changes changes = RequestVariables.of(request).json(CHANGES, Changes.class);
    return changes == null ? "The changes since the last approved deploy are not known." : shortLine(changes, null)
        .replaceAll("\\(([0-9a-f]{7})\\)", "").replace(" .", ".");
  }

  /**
   * The short line and up to 20 commits, one a line: what the Tasklist form shows. The form renders it as Markdown, and
   * commit titles and git names are whatever the committer wrote: every character Markdown or HTML gives a meaning is
   * escaped, so a title shows as written and never becomes a link, an image or markup.
   */
  public static String text(Changes changes, String changesUnknown) {
    List<String> text = new java.util.ArrayList<>();
    text.add(shortLine(changes, changesUnknown));
    text.addAll(listing(changes));
    return String.join("  \n", text.stream().map(ChangeSummary::markdownEscaped).toList());
  }

  /** The listed commits (up to 20), one a line, then the compare page; nothing when the change is not known. */
  public static List<String> listing(Changes changes) {
    List<String> listing = new java.util.ArrayList<>(lines(changes, Changes.LISTED));
    if (changes != null && changes.compareUrl() != null) {
      listing.add(changes.compareUrl());
    }
    return listing;
  }

  /** {@code text} with every Markdown and HTML special character backslash-escaped (CommonMark's ASCII punctuation). */
  static String markdownEscaped(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      if ("\\`*_{}[]()#+-.!<>|~&\"':=/".indexOf(c) >= 0) {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  private static String unknownReason(VariableScope request) {
    String reason = RequestVariables.of(request).text(CHANGES_UNKNOWN);
    return reason == null && !request.hasVariable(CHANGES) ? "It is still being looked up." : reason;
  }

  public static String shortLine(Changes changes, String changesUnknown) {
    if (changes == null) {
      String unknown = "Changes since the last approved deploy: unknown.";
      return changesUnknown == null || changesUnknown.isBlank() ? unknown : unknown + " " + changesUnknown.strip();
    }
    String since = " since " + (changes.sinceApprovedBy() == null || changes.sinceApprovedBy().isEmpty()
        ? "the last approved deploy" : "the deploy " + names(changes.sinceApprovedBy(), changes.sinceApprovedBy().size())
        + " approved") + " (" + shortSha(changes.sinceCommit()) + ").";
    if (changes.commits() == 0) {
      return "No new commits" + since;
    }
    String count = changes.count() + (changes.commits() == 1 && !changes.truncated() ? " commit" : " commits");
    boolean anyAuthor = changes.authors() != null && !changes.authors().isEmpty();
    return count + (anyAuthor ? " by " + names(changes.authors(), AUTHORS_NAMED) : "") + since;
  }

  /** The first {@code max} listed commits (newest first), one a line: "a1b2c3d bob-gh: Fix the thing". */
  public static List<String> lines(ApprovalView approval, int max) {
    return lines(approval.changes(), max);
  }

  public static List<String> lines(Changes changes, int max) {
    if (changes == null || changes.list() == null || max <= 0) {
      return List.of();
    }
    return changes.list().stream().limit(max).map(ChangeSummary::line).toList();
  }

  private static String line(Commit commit) {
    return shortSha(commit.sha()) + " " + commit.author() + ": " + commit.title();
  }

  /** "alice", "alice and bob", "alice, bob and carol", "alice, bob, carol and 2 more" (at most {@code named} named). */
  private static String names(List<String> names, int named) {
    if (names.size() > named) {
      return String.join(", ", names.subList(0, named)) + " and " + (names.size() - named) + " more";
    }
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }

  private static String shortSha(String sha) {
    return sha == null ? "?" : sha.length() > 7 ? sha.substring(0, 7) : sha;
  }
}
