package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;

import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code ${approversToAsk.of(execution)}}: the directory ids of the approvers "Notify approver" runs for. */
public class ApproversToAsk {

  private static final Logger log = LoggerFactory.getLogger(ApproversToAsk.class);

  private final Directory directory;

  public ApproversToAsk(Directory directory) {
    this.directory = directory;
  }

  public List<String> of(DelegateExecution execution) {
    String group = (String) execution.getVariable(APPROVER_GROUP);
    List<String> approvers = directory.members(group).stream().map(DirectoryFile.User::id).toList();
    if (approvers.isEmpty()) {
      // Nobody can be told; the request waits in Tasklist until its deadline. An admin should fix the directory.
      log.warn("Approver group '{}' has no members in the directory: nobody is notified of request {}",
          group, execution.getProcessInstanceId());
    }
    return approvers;
  }
}
