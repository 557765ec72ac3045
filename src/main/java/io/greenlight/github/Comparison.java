package io.greenlight.github;

import java.util.List;

/**
 * What GitHub's compare of two commits says: {@code totalCommits} in the range (all of them, however many were fetched),
 * the {@code commits} fetched (oldest first, as GitHub lists them; at most {@link GitHubClient#COMPARE_LIMIT}), and the
 * comparison's page on GitHub.
 */
public record Comparison(int totalCommits, List<Commit> commits, String htmlUrl) {

  /**
   * One commit of the range: {@code authorLogin} and {@code committerLogin} are GitHub accounts, null when the commit's
   * e-mail matches none; {@code authorName} is the git author's name; {@code title} the first line of its message.
   */
  public record Commit(String sha, String authorLogin, String authorName, String committerLogin, String title) {

    /** The author's GitHub login, or the git author's name when the commit has no login. */
    public String author() {
      return authorLogin != null ? authorLogin : authorName;
    }
  }
}
