package io.greenlight.gitlab;

/**
 * GitLab refused a call in its own words (a 4xx with a message: the environment not protected, the bot not in its
 * approval rule, …). Mostly a setting an admin fixes in GitLab, so the step is retried and then waits in an incident
 * that shows GitLab's words; the request is not failed for it.
 */
public class GitLabRefusedException extends RuntimeException {

  private final int statusCode;
  private final String gitLabMessage;

  GitLabRefusedException(int statusCode, String operation, String gitLabMessage) {
    super("GitLab refused the " + operation + " call (" + statusCode + "): " + gitLabMessage);
    this.statusCode = statusCode;
    this.gitLabMessage = gitLabMessage;
  }

  public int statusCode() {
    return statusCode;
  }

  /** GitLab's own words ({@code This deployment is not waiting for approvals.}). */
  public String gitLabMessage() {
    return gitLabMessage;
  }

  /** GitLab's answer to an approval of a deployment that no longer waits (what GitLab 14 and later say). */
  boolean notWaitingForApprovals() {
    return statusCode == 400 && gitLabMessage.contains("not waiting for approvals");
  }

  /** GitLab's answer to playing a job that is not manual and playable. */
  boolean unplayableJob() {
    return statusCode == 400 && gitLabMessage.contains("Unplayable Job");
  }
}
