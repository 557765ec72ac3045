package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.NOTIFIED;

import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * "Notify approvers": records who of the approver group is asked. Today the one channel is Tasklist,
 * where the group's task appears; SMS and e-mail join here.
 */
public class NotifyApprovers implements JavaDelegate {

  static final String TASKLIST = "tasklist";

  private final Directory directory;

  public NotifyApprovers(Directory directory) {
    this.directory = directory;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String group = (String) execution.getVariable(APPROVER_GROUP);
    List<DirectoryFile.User> approvers = directory.members(group);
    if (approvers.isEmpty()) {
      // A directory or routing mistake an admin must fix: fail the job, so it retries and then shows as an incident.
      throw new IllegalStateException("Approver group '" + group + "' has no members in the directory: nobody could answer");
    }
    Instant now = ClockUtil.getCurrentTime().toInstant();
    List<Notification> notified = JsonVariables.list(execution, NOTIFIED, Notification.class);
    approvers.forEach(approver -> notified.add(new Notification(approver.id(), TASKLIST, now, "available")));
    execution.setVariable(NOTIFIED, JsonVariables.json(notified));
  }
}
