package io.greenlight.gitlab;

import static io.greenlight.approval.ApprovalVariables.APPROVAL_JOB;
import static io.greenlight.approval.ApprovalVariables.APPROVAL_REQUEST_ID;
import static io.greenlight.approval.ApprovalVariables.BUILD_URL;
import static io.greenlight.approval.ApprovalVariables.WORKFLOW_ID;

import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import io.greenlight.gate.SystemsWord;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Find the gate", GitLab's kind: the pipeline's deploy job to the environment, blocked until its approval rules are met
 * (every page of the project's blocked deployments to it). The asking job runs in an earlier stage, before the deploy
 * job is reached, so not finding it yet is normal: the step fails and is retried on its cycle, as for a CircleCI hold
 * not reached yet. Found, its deployment and job ids are kept for good (GitLab's status for it after an approval varies
 * by version), and GitLab's word on who deploys (the deployment's user), branch and commit is taken.
 */
@Component("findGitLabGate")
public class FindGitLabGate implements JavaDelegate {

  private final GitLabClient gitlab;
  private final SystemsWord gitLabsWord;

  public FindGitLabGate(GitLabClient gitlab, Directory directory) {
    this.gitlab = gitlab;
    this.gitLabsWord = new SystemsWord("GitLab", directory);
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    String environment = request.text(APPROVAL_JOB);
    long pipelineId = GitLabDelegate.pipelineId(request);
    GitLabClient.BlockedDeployment deployment = gitlab.blockedDeployment(GitLabDelegate.projectPath(request), environment,
        pipelineId).orElseThrow(() -> new GitLabUnavailableException("GitLab shows no deployment of pipeline "
            + request.text(WORKFLOW_ID) + " to " + environment + " waiting for approval yet (its deploy job not reached "
            + "yet?); looked at every page, looking again"));
    execution.setVariable(APPROVAL_REQUEST_ID, String.valueOf(deployment.id()));
    execution.setVariable(GitLabVariables.DEPLOYMENT_ID, deployment.id());
    execution.setVariable(GitLabVariables.JOB_ID, deployment.jobId());
    if (request.text(BUILD_URL) == null && deployment.pipelineUrl() != null) {
      execution.setVariable(BUILD_URL, deployment.pipelineUrl());
    }
    gitLabsWord.take(execution, new SystemsWord.Facts(deployment.username(), deployment.ref(), deployment.sha()), List.of());
  }
}
