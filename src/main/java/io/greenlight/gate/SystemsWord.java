package io.greenlight.gate;

import static io.greenlight.approval.ApprovalVariables.BRANCH;
import static io.greenlight.approval.ApprovalVariables.BUILD_URL;
import static io.greenlight.approval.ApprovalVariables.COMMIT;
import static io.greenlight.approval.ApprovalVariables.OVERRULED_CLAIMS;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.REQUESTER_NOT_IN_DIRECTORY;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.OverruledClaim;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import io.greenlight.web.SafeText;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who asked, and which branch and commit are built, as the CI system knows them rather than as the pipeline says: its
 * config is in the hands of whoever pushes, who could otherwise name someone else as the requester (and approve their
 * own deploy) or another branch (and pick an easier routing rule). A claim the system contradicts is kept
 * ({@code overruledClaims}, "Claim overruled" in the timeline); where the pipeline claimed nothing, the system's word is
 * simply taken. A requester the directory does not know is said so: nobody can be kept from approving as the requester.
 */
public final class SystemsWord {

  private static final Logger log = LoggerFactory.getLogger(SystemsWord.class);

  /** What the system says: who triggered the pipeline, and (when it says which commit) its branch and commit. */
  public record Facts(String requestedBy, String branch, String commit) {}

  private final String systemName;
  private final Directory directory;

  public SystemsWord(String systemName, Directory directory) {
    this.systemName = systemName;
    this.directory = directory;
  }

  /**
   * The build link approvers click, as a request's variables from its start: the pipeline's {@code claimed} link where
   * it is a page of the CI system ({@code systemsOwn}), else the system's own page of the gate, the claim kept for the
   * record ("Claim overruled"). Whoever edits a pipeline's config could otherwise point approvers at a page of their own.
   */
  public static Map<String, Object> buildLink(String claimed, boolean systemsOwn, String systemsPage) {
    Map<String, Object> variables = new HashMap<>();
    if (systemsOwn) {
      variables.put(BUILD_URL, claimed);
      return variables;
    }
    variables.put(BUILD_URL, systemsPage);
    variables.put(OVERRULED_CLAIMS, JsonVariables.json(List.of(new OverruledClaim("build_url", claimed, systemsPage,
        ClockUtil.getCurrentTime().toInstant()))));
    return variables;
  }

  /**
   * Takes the system's word into the request, with {@code earlier} claims already overruled (the project slug, say).
   * The system's text is shown to approvers like the pipeline's: within the same limits.
   */
  public void take(DelegateExecution execution, Facts said, List<OverruledClaim> earlier) {
    Facts facts = new Facts(SafeText.cleaned(said.requestedBy(), 100), SafeText.cleaned(said.branch(), 255),
        SafeText.cleaned(said.commit(), 64));
    RequestVariables request = RequestVariables.of(execution);
    // Intake may have set the pipeline's build link aside already.
    List<OverruledClaim> overruled = JsonVariables.list(execution, OVERRULED_CLAIMS, OverruledClaim.class);
    int claimsBefore = overruled.size();
    overruled.addAll(earlier);
    Instant now = ClockUtil.getCurrentTime().toInstant();
    String requestedBy = request.text(REQUESTED_BY);
    if (!facts.requestedBy().equalsIgnoreCase(requestedBy)) {
      if (requestedBy != null) {
        overruled.add(new OverruledClaim("requested_by", requestedBy, facts.requestedBy(), now));
      }
      execution.setVariable(REQUESTED_BY, facts.requestedBy());
    }
    if (facts.commit() != null) {
      String branch = request.text(BRANCH);
      if (!Objects.equals(branch, facts.branch())) {
        if (branch != null) {
          overruled.add(new OverruledClaim("branch", branch, facts.branch(), now));
        }
        execution.setVariable(BRANCH, facts.branch());
      }
      String commit = request.text(COMMIT);
      if (commit != null && !facts.commit().toLowerCase(Locale.ROOT).startsWith(commit.toLowerCase(Locale.ROOT))) {
        overruled.add(new OverruledClaim("commit", commit, facts.commit(), now));
      }
      execution.setVariable(COMMIT, facts.commit());
    }
    if (overruled.size() > claimsBefore) {
      log.warn("Request {}: {} contradicts what the pipeline said of itself, and is believed: {}",
          execution.getProcessInstanceId(), systemName, overruled);
      execution.setVariable(OVERRULED_CLAIMS, JsonVariables.json(overruled));
    }
    if (directory.requester(facts.requestedBy()).isEmpty()) {
      // A bot, or a person whose login the directory does not list: nobody can be kept from approving as the requester.
      log.warn("Request {}: the requester '{}' is no directory user (add their login to 'logins'); nobody is excluded as the requester",
          execution.getProcessInstanceId(), facts.requestedBy());
      execution.setVariable(REQUESTER_NOT_IN_DIRECTORY, facts.requestedBy());
    }
  }
}
