package io.greenlight.changes;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.CHANGES;
import static io.greenlight.approval.ApprovalVariables.CHANGES_TEXT;
import static io.greenlight.approval.ApprovalVariables.CHANGES_UNKNOWN;
import static io.greenlight.approval.ApprovalVariables.COMMIT;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;

import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.ApprovalView.Changes;
import io.greenlight.approval.ApprovalView.Commit;
import io.greenlight.approval.ChangeSummary;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import io.greenlight.changes.LastApprovedDeploys.LastApproved;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.github.Comparison;
import io.greenlight.github.GitHubClient;
import io.greenlight.github.GitHubRefusedException;
import io.greenlight.github.GitHubUnavailableException;
import io.greenlight.web.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Look up the change being deployed": the commits between the gate's last approved deploy and this request's commit,
 * from GitHub's compare, kept in {@code changes} (JSON {@link Changes}); or {@code changes} null and
 * {@code changesUnknown} saying why in a sentence. {@code list} holds the newest {@link Changes#LISTED} commits, newest
 * first: what an approver reads first is what was merged last. GitHub failing (5xx, unreachable, rate limit) is thrown,
 * so the job is retried and then becomes an incident; the diagram runs this step beside the request, never before it.
 */
@Component("lookUpChanges")
public class LookUpChanges implements JavaDelegate {

  /** The business error "GitHub did not answer" on the diagram: the first try failed, the next is a job of its own. */
  public static final String CHANGES_NOT_LOOKED_UP = "CHANGES_NOT_LOOKED_UP";

  private static final Logger log = LoggerFactory.getLogger(LookUpChanges.class);
  /** CircleCI's slugs of GitHub projects and GitHub gates' slugs alike: {@code gh/{owner}/{repo}}, no name of dots alone. */
  private static final Pattern GITHUB_PROJECT = Pattern.compile("^gh/(?!\\.+/)([A-Za-z0-9_.-]+)/(?!\\.+$)([A-Za-z0-9_.-]+)$",
      Pattern.CASE_INSENSITIVE);
  /** Commit titles and names come from whoever committed: shown to approvers, so kept short and clean. */
  private static final int LONGEST_TEXT = 200;

  private final GitHubClient github;
  private final LastApprovedDeploys lastApproved;

  public LookUpChanges(GitHubClient github, LastApprovedDeploys lastApproved) {
    this.github = github;
    this.lastApproved = lastApproved;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    String gateName = request.text(APPROVAL_JOB);
    if (gateName == null) {
      // A CircleCI request that named no job learns it in "Find the gate": this step belongs after it. Retried meanwhile.
      throw new IllegalStateException("The request's approval job is not known yet: look up its change after the gate is found");
    }
    Outcome outcome;
    try {
      outcome = lookUp(request.text(PROJECT_SLUG), gateName, request.text(COMMIT));
    } catch (RuntimeException notNow) {
      if (!ActivityIds.LOOK_UP_CHANGES.equals(execution.getCurrentActivityId())) {
        throw notNow; // "Look up the change again": a job, retried as every call out is
      }
      // The first try rides along with the routing: nothing that goes wrong here (GitHub not answering, or anything else)
      // may hold the request up, so the diagram looks it up again beside the asking.
      log.warn("Request {}: the change could not be looked up while routing ({}); it is looked up again as a job",
          execution.getProcessInstanceId(), notNow.toString());
      String why = "GitHub did not answer yet"
          + (notNow instanceof GitHubUnavailableException || notNow instanceof RetryAfterException ? " (" + notNow.getMessage() + ")" : "")
          + "; it is asked again.";
      execution.getProcessInstance().setVariable(CHANGES_UNKNOWN, why);
      execution.getProcessInstance().setVariable(CHANGES_TEXT, ChangeSummary.text(null, why));
      throw new BpmnError(CHANGES_NOT_LOOKED_UP, why);
    }
    // An unknown change is JSON null, not an untyped null: readers of the JSON variable (the API's view) take it as null.
    execution.getProcessInstance().setVariable(CHANGES, JsonVariables.json(outcome.changes()));
    execution.getProcessInstance().setVariable(CHANGES_UNKNOWN, outcome.unknown());
    execution.getProcessInstance().setVariable(CHANGES_TEXT, ChangeSummary.text(outcome.changes(), outcome.unknown()));
  }

  /** The change, or why it is not known: one of the two is null. */
  private record Outcome(Changes changes, String unknown) {

    static Outcome unknown(String why) {
      return new Outcome(null, why);
    }
  }

  private Outcome lookUp(String projectSlug, String gateName, String head) {
    Matcher repository = GITHUB_PROJECT.matcher(projectSlug == null ? "" : projectSlug);
    if (!repository.matches()) {
      return Outcome.unknown("The project is not on GitHub.");
    }
    if (head == null || head.isBlank()) {
      return Outcome.unknown("The request names no commit.");
    }
    Optional<LastApproved> base = lastApproved.of(projectSlug, gateName);
    if (base.isEmpty()) {
      // Also right after an upgrade: deploys approved before Greenlight remembered them are not known.
      return Outcome.unknown("No earlier deploy of this gate was approved in Greenlight.");
    }
    LastApproved since = base.get();
    if (sameCommit(since.commit(), head)) {
      return new Outcome(changes(since, 0, false, List.of(), null, List.of()), null);
    }
    String owner = repository.group(1);
    String repo = repository.group(2);
    if (!github.configured()) {
      return Outcome.unknown("The GitHub App is not configured.");
    }
    Comparison comparison;
    try {
      Optional<Long> installation = github.installationFor(owner, repo);
      if (installation.isEmpty()) {
        return Outcome.unknown("The GitHub App is not installed on " + owner + "/" + repo + ".");
      }
      comparison = github.compare(owner, repo, since.commit(), head, installation.get());
    } catch (GitHubRefusedException refused) {
      // 404 most often: the last approved commit is gone (a force push) or the request's was never pushed. No retry helps.
      log.warn("The change deployed to {} of {} is not known: {}", gateName, projectSlug, refused.getMessage());
      return Outcome.unknown(refused.statusCode() == 404
          ? "GitHub does not know commit " + shortSha(since.commit()) + " or " + shortSha(head) + " in " + owner + "/" + repo + "."
          : "GitHub did not compare the commits (" + refused.statusCode() + ").");
    }
    return new Outcome(changesOf(since, comparison), null);
  }

  private static Changes changesOf(LastApproved since, Comparison comparison) {
    List<Comparison.Commit> fetched = comparison.commits();
    boolean truncated = comparison.totalCommits() > Changes.GITHUB_LIMIT;
    int commits = truncated ? Changes.GITHUB_LIMIT : comparison.totalCommits();
    // Every login that wrote or committed any commit read (up to a thousand), not only the listed ones: who may have a hand
    // in the deploy.
    List<String> authors = List.copyOf(fetched.stream()
        .flatMap(commit -> Stream.of(commit.authorLogin(), commit.committerLogin()))
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(() -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))));
    // GitHub lists oldest first; approvers read newest first (a range longer than what was read: its last page).
    List<Comparison.Commit> tail = comparison.newest().isEmpty() ? fetched : comparison.newest();
    List<Commit> newestFirst = new ArrayList<>();
    for (int i = tail.size() - 1; i >= 0 && newestFirst.size() < Changes.LISTED; i--) {
      Comparison.Commit commit = tail.get(i);
      newestFirst.add(new Commit(commit.sha(), SafeText.cleaned(commit.author(), LONGEST_TEXT),
          SafeText.cleaned(commit.title(), LONGEST_TEXT)));
    }
    return new Changes(since.commit(), since.requestId(), since.approvers(), commits, truncated, authors,
        comparison.allRead(), comparison.htmlUrl(), newestFirst);
  }

  private static Changes changes(LastApproved since, int commits, boolean truncated, List<String> authors, String compareUrl,
                                 List<Commit> list) {
    return new Changes(since.commit(), since.requestId(), since.approvers(), commits, truncated, authors, true, compareUrl, list);
  }

  /** The same commit, also when one of the two is an abbreviated id of the other (both are at least 7 hex digits). */
  private static boolean sameCommit(String one, String other) {
    String a = one.toLowerCase(Locale.ROOT);
    String b = other.toLowerCase(Locale.ROOT);
    return a.startsWith(b) || b.startsWith(a);
  }

  private static String shortSha(String sha) {
    return sha.length() > 7 ? sha.substring(0, 7) : sha;
  }
}
