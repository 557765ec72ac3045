package io.greenlight.github;

import java.util.List;

/**
 * What GitHub's compare of two commits says: {@code totalCommits} in the range (all of them, however many were fetched),
 * the {@code commits} read (oldest first, as GitHub lists them; at most {@link GitHubClient#MOST_COMMITS_READ}), the
 * {@code newest} (the range's last page, when not all were read; else empty), and the comparison's page on GitHub.
 */
public record Comparison(int totalCommits, List<Commit> commits, List<Commit> newest, String htmlUrl) {

  /** Every commit of the range was read (for its authors and committers). */
  public boolean allRead() {
    return commits.size() >= totalCommits;
  }

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
