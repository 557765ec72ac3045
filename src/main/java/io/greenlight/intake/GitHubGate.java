package io.greenlight.intake;

import static io.greenlight.approval.ApprovalVariables.GATE;
import static io.greenlight.approval.ApprovalVariables.GITHUB_CALLBACK_URL;
import static io.greenlight.approval.ApprovalVariables.GITHUB_DELIVERY;
import static io.greenlight.approval.ApprovalVariables.GITHUB_DEPLOYMENT_ID;
import static io.greenlight.approval.ApprovalVariables.GITHUB_INSTALLATION_ID;

import io.greenlight.github.GitHubGateKind;
import java.util.HashMap;
import java.util.Map;

/**
 * A GitHub Actions job waiting at an environment whose custom deployment protection rule is Greenlight's App, as the
 * {@code deployment_protection_rule} webhook describes it. The run is the request's workflow, the environment its
 * gate's name, so one run's environment is one gate.
 *
 * @param projectSlug {@code gh/{owner}/{repo}}
 * @param requestedBy the GitHub login of who deploys (the webhook's sender, else the deployment's creator)
 * @param branch the ref, without {@code refs/heads/}
 */
public record GitHubGate(String projectSlug, String runId, String environment, String requestedBy, String branch,
                         String sha, String runUrl, String event, String callbackUrl, long installationId,
                         Long deploymentId, String delivery) {

  ApprovalRequest asApprovalRequest() {
    return new ApprovalRequest(projectSlug, runId, environment, requestedBy, branch, sha, runUrl, null,
        "GitHub Actions: deploy to " + environment + (event == null ? "" : " (" + event + ")"));
  }

  Map<String, Object> variables() {
    Map<String, Object> variables = new HashMap<>();
    variables.put(GATE, GitHubGateKind.ID);
    variables.put(GITHUB_CALLBACK_URL, callbackUrl);
    variables.put(GITHUB_INSTALLATION_ID, installationId);
    variables.put(GITHUB_DEPLOYMENT_ID, deploymentId);
    variables.put(GITHUB_DELIVERY, delivery);
    return variables;
  }
}
