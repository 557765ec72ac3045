package io.greenlight.github;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.GITHUB_DEPLOYMENT_ID;
import static io.greenlight.approval.ApprovalVariables.REQUESTED_BY;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;
import static io.greenlight.approval.ApprovalVariables.REQUESTER_NOT_IN_DIRECTORY;

import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Find the gate", GitHub's kind: GitHub named the gate itself, in a webhook whose signature was checked before the
 * request started, so its word (run, environment, who deploys) is taken as it is. What is left is who the requester
 * is in the directory, by their GitHub login. The gate's id ({@code approval_request_id}) is GitHub's deployment id, or
 * the run's when GitHub made no deployment.
 */
@Component("findGitHubGate")
public class FindGitHubGate implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(FindGitHubGate.class);

  private final Directory directory;

  public FindGitHubGate(Directory directory) {
    this.directory = directory;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    Object deployment = execution.getVariable(GITHUB_DEPLOYMENT_ID);
    execution.setVariable(APPROVAL_REQUEST_ID, deployment != null ? deployment.toString() : request.text(WORKFLOW_ID));
    String requester = request.text(REQUESTED_BY);
    if (directory.requester(requester).isEmpty()) {
      log.warn("Request {}: the GitHub user '{}' who deploys is no directory user (add their login to 'logins'); "
          + "nobody is excluded as the requester", execution.getProcessInstanceId(), requester);
      execution.setVariable(REQUESTER_NOT_IN_DIRECTORY, requester);
    }
  }
}
