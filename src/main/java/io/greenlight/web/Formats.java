package io.greenlight.web;

/** The forms of identifiers the API takes, for {@code @Pattern} and for checks by hand. */
public final class Formats {

  /** A request id, a CircleCI workflow id. */
  public static final String UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
  /**
   * vcs/org/repo, as CircleCI writes it (gh/…, bb/…, circleci/…/…), or {@code gl/} and a GitLab project's full path,
   * nested groups and all ({@code gl/group/sub/app}, at most 20 levels as GitLab allows).
   */
  public static final String PROJECT_SLUG = "^[A-Za-z0-9_.-]{1,64}(/[A-Za-z0-9_.-]{1,100}){2,21}$";
  /** Users and groups of the directory: letters, digits, '.', '_', '@', '-'. */
  public static final String DIRECTORY_ID = "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$";
  /** Twilio's message ids (SM…, MM…), within what Greenlight stores. */
  public static final String MESSAGE_SID = "^[A-Za-z0-9_-]{1,64}$";

  private Formats() {}
}
