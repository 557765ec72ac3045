package io.greenlight.approval;

/** The CI systems whose gates Greenlight answers: the value of the {@code gate} variable. */
public final class GateKinds {

  /** A CircleCI approval job (on hold), found through CircleCI's API. */
  public static final String CIRCLECI = "circleci";
  /** A GitHub Actions environment's custom deployment protection rule, named by the GitHub App's webhook. */
  public static final String GITHUB = "github";

  private GateKinds() {}

  /** The CI system's name in what people read: {@code CircleCI} or {@code GitHub}. */
  public static String systemName(String gate) {
    return GITHUB.equals(gate) ? "GitHub" : "CircleCI";
  }

  /** What stopping the deploy did there, as a sentence: {@code The workflow was cancelled.}, … */
  public static String stopped(String gate) {
    return GITHUB.equals(gate) ? "The deployment was rejected in GitHub." : "The workflow was cancelled.";
  }

  /** … and as ahead: {@code The workflow will be cancelled.}, … */
  public static String willBeStopped(String gate) {
    return GITHUB.equals(gate) ? "The deployment will be rejected in GitHub." : "The workflow will be cancelled.";
  }

  /**
   * The project as approvers read it: a GitHub gate is one environment of the repository ({@code gh/acme/shop to
   * production}), a CircleCI gate the project.
   */
  public static String project(String gate, String projectSlug, String gateName) {
    return GITHUB.equals(gate) && gateName != null ? projectSlug + " to " + gateName : projectSlug;
  }

  /** The gate kind of a request: requests made before gates had kinds are CircleCI's. */
  public static String of(Object gateVariable) {
    return gateVariable == null ? CIRCLECI : gateVariable.toString();
  }
}
