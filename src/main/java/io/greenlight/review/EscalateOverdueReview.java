package io.greenlight.review;

import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS_BY;
import static io.greenlight.approval.ApprovalVariables.ESCALATED_TO;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.REQUEST_ID;

import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.PublicLinks;
import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.freeze.FreezeProperties;
import io.greenlight.notify.Channel;
import io.greenlight.notify.Channels;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.task.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * "Escalate the overdue review": the review of a break-glass approval is past its due date, so it becomes the
 * escalation group's too (the reviewers' groups' {@code escalate-to}; without one, the freeze managers'), and they are
 * told on every channel they have. Telling is best effort per person and channel; the task is theirs either way.
 */
@Component("escalateOverdueReview")
public class EscalateOverdueReview implements JavaDelegate {

  private static final Logger log = LoggerFactory.getLogger(EscalateOverdueReview.class);

  private final EmergencyReview review;
  private final Directory directory;
  private final FreezeProperties settings;
  private final Channels channels;
  private final PublicLinks links;

  public EscalateOverdueReview(EmergencyReview review, Directory directory, FreezeProperties settings, Channels channels,
                               PublicLinks links) {
    this.review = review;
    this.directory = directory;
    this.settings = settings;
    this.channels = channels;
    this.links = links;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Set<String> escalationGroups = new LinkedHashSet<>();
    for (String group : review.reviewers(execution).groups()) {
      directory.group(group).map(DirectoryFile.Group::escalateTo).filter(to -> to != null && !to.isBlank())
          .ifPresent(escalationGroups::add);
    }
    if (escalationGroups.isEmpty()) {
      escalationGroups.add(settings.managersGroup());
    }
    TaskService tasks = execution.getProcessEngineServices().getTaskService();
    Task open = tasks.createTaskQuery().processInstanceId(execution.getProcessInstanceId())
        .taskDefinitionKey(ActivityIds.REVIEW_EMERGENCY_DEPLOY).singleResult();
    if (open == null) {
      return;
    }
    escalationGroups.forEach(group -> tasks.addCandidateGroup(open.getId(), group));
    execution.setVariable(ESCALATED_TO, String.join(",", escalationGroups));
    String text = "Overdue: the review of the emergency deploy of " + execution.getVariable(PROJECT_SLUG)
        + " (approved during a freeze by " + execution.getVariable(BREAK_GLASS_BY) + ") is past its due date. "
        + "Review it in Tasklist: " + links.tasklist(open.getId()) + " - request: "
        + links.history(String.valueOf(execution.getVariable(REQUEST_ID)));
    for (String group : escalationGroups) {
      for (DirectoryFile.User person : directory.members(group)) {
        tell(execution, person, text);
      }
    }
  }

  private void tell(DelegateExecution execution, DirectoryFile.User person, String text) {
    for (Channel channel : channels.all()) {
      try {
        channel.tell(execution, person, text);
      } catch (RuntimeException failed) {
        log.warn("Could not tell {} of the overdue review {} by {}: {}", person.id(), execution.getProcessInstanceId(),
            channel.name(), failed.getMessage());
      }
    }
  }
}
