package io.greenlight.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.approval.ApprovalView.Changes;
import io.greenlight.approval.ApprovalView.Commit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The change being deployed in the few words an SMS has room for. */
class ChangeSummaryTest {

  private static final String BASE = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

  @Test
  void oneCommitManyAuthorsAndNoKnownApprover() {
    assertThat(ChangeSummary.shortLine(view(changes(1, false, List.of("bob-gh"), List.of("alice")))))
        .isEqualTo("1 commit by bob-gh since the deploy alice approved (a1b2c3d).");
    assertThat(ChangeSummary.shortLine(view(changes(9, false, List.of("a-gh", "b-gh", "c-gh", "d-gh", "e-gh"), List.of()))))
        .isEqualTo("9 commits by a-gh, b-gh, c-gh and 2 more since the last approved deploy (a1b2c3d).");
    assertThat(ChangeSummary.shortLine(view(changes(250, true, List.of(), List.of("alice", "bob", "carol")))))
        .isEqualTo("250+ commits since the deploy alice, bob and carol approved (a1b2c3d).");
  }

  @Test
  void anUnknownChangeSaysSoWithOrWithoutWhy() {
    assertThat(ChangeSummary.shortLine(view(null))).isEqualTo("Changes since the last approved deploy: unknown.");
    assertThat(ChangeSummary.shortLine(view(null), "The project is not on GitHub."))
        .isEqualTo("Changes since the last approved deploy: unknown. The project is not on GitHub.");
    assertThat(ChangeSummary.lines(view(null), 5)).isEmpty();
  }

  @Test
  void linesAreTheFirstListedCommitsUpToTheMaximum() {
    Changes changes = new Changes(BASE, "r-1", List.of("alice"), 3, false, List.of("bob-gh"), null, List.of(
        new Commit("ccccccc1234", "bob-gh", "Fix the thing"), new Commit("bbbbbbb1234", "Dee Vendor", "Vendor drop"),
        new Commit("aaaaaaa1234", "bob-gh", "Start")));

    assertThat(ChangeSummary.lines(view(changes), 2)).containsExactly("ccccccc bob-gh: Fix the thing", "bbbbbbb Dee Vendor: Vendor drop");
    assertThat(ChangeSummary.lines(view(changes), 0)).isEmpty();
  }

  private static Changes changes(int commits, boolean truncated, List<String> authors, List<String> approvers) {
    return new Changes(BASE, "r-1", approvers, commits, truncated, authors, null, List.of());
  }

  private static ApprovalView view(Changes changes) {
    return new ApprovalView(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, changes, null, null, null, null, null, null);
  }

  /** The Tasklist form renders Markdown: what a committer wrote shows as written, never as a link, an image or markup. */
  @Test
  void theFormsTextEscapesWhatACommitterWrote() {
    Changes changes = new Changes("a".repeat(40), "r-1", List.of("alice"), 1, false, List.of("eve-gh"), null,
        List.of(new Commit("b".repeat(40), "eve-gh", "[Approve here](https://evil.example/x) ![x](https://evil.example/i.png) <img src=x>")));
    String text = ChangeSummary.text(changes, null);
    assertThat(text).contains("\\[Approve here\\]\\(https\\:\\/\\/evil\\.example\\/x\\)")
        .contains("\\!\\[x\\]").contains("\\<img src\\=x\\>")
        .doesNotContain("](").doesNotContain(" <img");
  }
}
