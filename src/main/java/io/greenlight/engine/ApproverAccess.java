package io.greenlight.engine;

import static io.greenlight.approval.ApprovalVariables.PROCESS_KEY;

import io.greenlight.approval.ActivityIds;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.IdentityLinkType;
import org.camunda.bpm.engine.task.Task;

/**
 * With Camunda's authorizations on, people may do only what they are granted. Every user may use Tasklist and read
 * its task filter; on a decision task the members of its candidate groups may read and work it (Camunda grants that
 * itself when it adds a candidate group, with {@code defaultUserPermissionNameForTask=TASK_WORK}). Nobody else may
 * deploy models, start processes, read requests, variables or history, or use Cockpit and Admin: that is for
 * {@code camunda-admin} ({@link AdminAccount}).
 */
public class ApproverAccess {

  static final String EVERYONE = Authorization.ANY;
  /** Camunda's property that says the open tasks of before have their grants (the walk over them is done once). */
  static final String OPEN_TASKS_GRANTED = "greenlight.open-decision-tasks-granted";

  private final AuthorizationService authorizations;
  private final TaskService tasks;
  private final ManagementService management;

  public ApproverAccess(AuthorizationService authorizations, TaskService tasks, ManagementService management) {
    this.authorizations = authorizations;
    this.tasks = tasks;
    this.management = management;
  }

  public void ensure() {
    grantToEveryone(Resources.APPLICATION, "tasklist", Permissions.ACCESS);
    grantToEveryone(Resources.FILTER, Authorization.ANY, Permissions.READ);
    if (!management.getProperties().containsKey(OPEN_TASKS_GRANTED)) {
      grantCandidatesOfOpenTasks();
      management.setProperty(OPEN_TASKS_GRANTED, "true");
    }
  }

  private void grantToEveryone(Resource resource, String resourceId, Permission permission) {
    Authorization existing = authorizations.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GLOBAL)
        .resourceType(resource).resourceId(resourceId).singleResult();
    Authorization grant = existing != null ? existing : authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
    if (existing == null) {
      grant.setUserId(EVERYONE);
      grant.setResource(resource);
      grant.setResourceId(resourceId);
    } else if (grant.isPermissionGranted(permission)) {
      return;
    }
    grant.addPermission(permission);
    authorizations.saveAuthorization(grant);
  }

  /**
   * Decision tasks created while authorizations were off have no grants: their candidates get what Camunda would have
   * given them, so requests already waiting can still be answered. Needed once, on the first start with authorizations;
   * tasks created since get their grants from Camunda.
   */
  private void grantCandidatesOfOpenTasks() {
    for (Task task : tasks.createTaskQuery().processDefinitionKey(PROCESS_KEY).taskDefinitionKey(ActivityIds.DECIDE).list()) {
      for (IdentityLink link : tasks.getIdentityLinksForTask(task.getId())) {
        if (!IdentityLinkType.CANDIDATE.equals(link.getType()) || link.getGroupId() == null) {
          continue;
        }
        boolean granted = authorizations.createAuthorizationQuery().resourceType(Resources.TASK).resourceId(task.getId())
            .groupIdIn(link.getGroupId()).count() > 0;
        if (!granted) {
          Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
          grant.setGroupId(link.getGroupId());
          grant.setResource(Resources.TASK);
          grant.setResourceId(task.getId());
          grant.addPermission(Permissions.READ);
          grant.addPermission(Permissions.TASK_WORK);
          authorizations.saveAuthorization(grant);
        }
      }
    }
  }
}
