package io.greenlight.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import com.slack.api.model.block.element.PlainTextInputElement;
import com.slack.api.model.view.View;
import io.greenlight.answer.DecisionRules;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What Greenlight's Slack messages say, in Block Kit. Everything a pipeline sent is shown as plain text (never mrkdwn),
 * so a branch called {@code <!channel>} or {@code *urgent*} is shown as written and mentions nobody.
 */
final class SlackMessages {

  static final String APPROVE = "approve";
  static final String REJECT = "reject";
  /** Ask the next level now, as SMS ESCALATE and key 3 on a call do. */
  static final String ESCALATE = "escalate";
  /** The reject modal: its {@code callback_id}, and the {@code block_id} and {@code action_id} of its one input. */
  static final String REJECT_VIEW = "greenlight_reject";
  /** The modal an incident commander's Approve opens while deploys are frozen: a break-glass approval needs a reason. */
  static final String BREAK_GLASS_VIEW = "greenlight_break_glass";
  static final String REASON = "reason";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  /** Block Kit's limits: a section's field, a plain-text section. */
  private static final int LONGEST_FIELD = 2000;
  private static final int LONGEST_TEXT = 3000;

  private SlackMessages() {}

  /** What a request asks, as shown to an approver; {@code lead}: that deploys are frozen, or open again (or null). */
  record Ask(String requestId, String projectSlug, String branch, String commit, String requestedBy, String summary,
             String buildUrl, Instant expiresAt, String change, List<String> commits, String compareUrl, String lead) {

    String what() {
      return projectSlug + (branch == null ? "" : " " + branch)
          + (commit == null ? "" : " " + commit.substring(0, Math.min(7, commit.length())));
    }
  }

  /** The notification's own text (what phones show): {@code Deploy approval: gh/acme/shop main abc1234 by octocat}. */
  static String askText(Ask ask) {
    return cut((ask.lead() == null ? "" : ask.lead() + " ") + "Deploy approval: " + ask.what()
        + (ask.requestedBy() == null ? "" : " by " + ask.requestedBy()), LONGEST_TEXT);
  }

  static List<LayoutBlock> askBlocks(Ask ask) {
    List<TextObject> fields = new ArrayList<>();
    field(fields, "Project", ask.projectSlug());
    field(fields, "Branch", ask.branch());
    field(fields, "Commit", ask.commit());
    field(fields, "Requested by", ask.requestedBy());
    field(fields, "Expires", ask.expiresAt() == null ? null : TIME.format(ask.expiresAt()));
    List<LayoutBlock> blocks = new ArrayList<>();
    if (ask.lead() != null) {
      // A freeze's reason is someone's words: plain text.
      blocks.add(section(s -> s.text(plainText(cut(ask.lead(), LONGEST_TEXT)))));
    }
    blocks.add(section(s -> s.text(plainText("A deployment waits for your approval."))));
    blocks.add(section(s -> s.fields(fields)));
    if (ask.summary() != null && !ask.summary().isBlank()) {
      blocks.add(section(s -> s.text(plainText(cut(ask.summary(), LONGEST_TEXT)))));
    }
    if (ask.change() != null) {
      // Commit titles are other people's words: plain text, never mrkdwn.
      String change = ask.change() + (ask.commits().isEmpty() ? "" : "\n" + String.join("\n", ask.commits()));
      blocks.add(section(s -> s.text(plainText(cut(change, LONGEST_TEXT)))));
    }
    List<BlockElement> buttons = new ArrayList<>();
    buttons.add(button(APPROVE, "Approve", ask.requestId(), "primary"));
    buttons.add(button(REJECT, "Reject", ask.requestId(), "danger"));
    buttons.add(button(ESCALATE, "Escalate", ask.requestId(), null));
    if (ask.buildUrl() != null) {
      buttons.add(ButtonElement.builder().actionId("build").text(plainText("Open the build")).url(ask.buildUrl()).build());
    }
    if (ask.compareUrl() != null) {
      buttons.add(ButtonElement.builder().actionId("compare").text(plainText("Compare on GitHub")).url(ask.compareUrl()).build());
    }
    blocks.add(actions(a -> a.blockId("decide").elements(buttons)));
    return blocks;
  }

  /** A message once its request is decided or has ended: what happened, and no buttons any more. */
  static List<LayoutBlock> outcomeBlocks(String outcome) {
    return List.of(section(s -> s.text(plainText(cut(outcome, LONGEST_TEXT)))));
  }

  /** A short answer to one person (recorded, refused): a message of its own in their conversation with Greenlight. */
  static List<LayoutBlock> answerBlocks(String text) {
    return List.of(section(s -> s.text(plainText(cut(text, LONGEST_TEXT)))));
  }

  /** The modal Reject opens: the reason, required, the request's id carried along in {@code private_metadata}. */
  static View reasonModal(String requestId, String what) {
    return reasonModal(REJECT_VIEW, requestId, "Reject deployment", "Reject",
        "Rejecting " + what + ": the deploy will be stopped.", "Why? (the requester will read this)");
  }

  /** The modal Approve opens for the break-glass group while deploys are frozen: the emergency, required. */
  static View breakGlassModal(String requestId, String what) {
    return reasonModal(BREAK_GLASS_VIEW, requestId, "Approve during freeze", "Approve",
        "Deploys are frozen: approving " + what + " breaks the glass, deploys it alone, and is reviewed afterwards.",
        "Which emergency does this deploy answer? (kept in the audit trail)");
  }

  private static View reasonModal(String callbackId, String requestId, String title, String submit, String text,
                                  String label) {
    PlainTextInputElement reason = PlainTextInputElement.builder().actionId(REASON).multiline(true)
        .maxLength(DecisionRules.LONGEST_COMMENT).build();
    return view(v -> v.type("modal").callbackId(callbackId).privateMetadata(requestId)
        .title(viewTitle(t -> t.type("plain_text").text(title)))
        .submit(viewSubmit(t -> t.type("plain_text").text(submit)))
        .close(viewClose(t -> t.type("plain_text").text("Cancel")))
        .blocks(List.of(
            section(s -> s.text(plainText(cut(text, LONGEST_TEXT)))),
            input(i -> i.blockId(REASON).label(plainText(label)).element(reason)))));
  }

  private static ButtonElement button(String actionId, String text, String value, String style) {
    return ButtonElement.builder().actionId(actionId).text(plainText(text)).value(value).style(style).build();
  }

  private static void field(List<TextObject> fields, String name, String value) {
    if (value != null && !value.isBlank()) {
      fields.add(plainText(cut(name + ": " + value.replaceAll("\\s+", " ").trim(), LONGEST_FIELD)));
    }
  }

  private static String cut(String text, int longest) {
    return text.length() <= longest ? text : text.substring(0, longest - 3) + "...";
  }
}
