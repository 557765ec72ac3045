package io.greenlight.approval;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.notify.Notifications;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstanceQuery;
import org.camunda.bpm.engine.history.HistoricVariableInstance;

/**
 * Reads approval requests from the engine's history: the history is the record, there is no second
 * store to keep in step. The request's id is its process instance id.
 */
public class Approvals {

  public static final int MOST_LISTED = 100;
  /** How far back a list looks for requests the caller may see. */
  private static final int MOST_SCANNED = 2_000;

  private final HistoryService history;
  private final TaskService tasks;
  private final String publicBaseUrl;

  public Approvals(HistoryService history, TaskService tasks, String publicBaseUrl) {
    this.history = history;
    this.tasks = tasks;
    this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
  }

  public Optional<ApprovalView> find(String id) {
    HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
        .processDefinitionKey(PROCESS_KEY).processInstanceId(id).singleResult();
    if (instance == null) {
      return Optional.empty();
    }
    Map<String, Object> variables = variablesOf(List.of(id)).getOrDefault(id, Map.of());
    return Optional.of(view(instance, variables, openTasksOf(List.of(id)).get(id), timelineOf(id, variables)));
  }

  /**
   * Newest first. {@code status} and {@code projectSlug} may be null (no filter); {@code visible} says which
   * requests the caller may see, and the list is filled up to {@code limit} with those.
   */
  public List<ApprovalView> list(ApprovalStatus status, String projectSlug, int limit, Predicate<String> visibleProject) {
    HistoricProcessInstanceQuery query = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY);
    if (status == ApprovalStatus.PENDING) {
      query.unfinished();
    } else if (status != null) {
      query.finished().variableValueEquals(STATUS, status.name());
    }
    if (projectSlug != null) {
      query.variableValueEquals(PROJECT_SLUG, projectSlug);
    }
    int wanted = Math.min(Math.max(limit, 1), MOST_LISTED);
    List<ApprovalView> found = new ArrayList<>();
    query.orderByProcessInstanceStartTime().desc();
    for (int first = 0; found.size() < wanted && first < MOST_SCANNED; first += MOST_LISTED) {
      List<HistoricProcessInstance> page = query.listPage(first, MOST_LISTED);
      List<String> ids = page.stream().map(HistoricProcessInstance::getId).toList();
      Map<String, Map<String, Object>> variables = variablesOf(ids);
      Map<String, String> openTasks = openTasksOf(ids);
      page.stream()
          .map(instance -> view(instance, variables.getOrDefault(instance.getId(), Map.of()), openTasks.get(instance.getId()), null))
          .filter(approval -> visibleProject.test(approval.projectSlug()))
          .limit(wanted - found.size())
          .forEach(found::add);
      if (page.size() < MOST_LISTED) {
        break;
      }
    }
    return found;
  }

  private Map<String, Map<String, Object>> variablesOf(List<String> instanceIds) {
    Map<String, Map<String, Object>> byInstance = new HashMap<>();
    if (instanceIds.isEmpty()) {
      return byInstance;
    }
    for (HistoricVariableInstance variable : history.createHistoricVariableInstanceQuery()
        .processInstanceIdIn(instanceIds.toArray(String[]::new)).disableCustomObjectDeserialization().list()) {
      byInstance.computeIfAbsent(variable.getProcessInstanceId(), id -> new HashMap<>())
          .put(variable.getName(), variable.getTypedValue());
    }
    return byInstance;
  }

  private ApprovalView view(HistoricProcessInstance instance, Map<String, Object> variables, String taskId,
                            List<ApprovalView.TimelineEntry> timeline) {
    boolean running = instance.getEndTime() == null;
    String buildUrl = text(variables, BUILD_URL);
    return new ApprovalView(
        instance.getId(),
        statusOf(running, text(variables, STATUS)),
        text(variables, PROJECT_SLUG),
        text(variables, WORKFLOW_ID),
        text(variables, APPROVAL_JOB),
        text(variables, APPROVAL_REQUEST_ID),
        text(variables, REQUESTED_BY),
        text(variables, BRANCH),
        text(variables, COMMIT),
        text(variables, SUMMARY),
        text(variables, APPROVER_GROUP),
        value(variables, REQUIRED_APPROVALS) instanceof Number n ? n.intValue() : null,
        value(variables, ESCALATION_LEVEL) instanceof Number level ? level.intValue() : null,
        text(variables, ESCALATED_TO),
        text(variables, CODE),
        instant(instance.getStartTime()),
        value(variables, EXPIRES_AT) instanceof Date date ? date.toInstant() : null,
        instant(instance.getEndTime()),
        text(variables, FAILURE_REASON),
        Notifications.in(variables),
        JsonVariables.list(variables.get(DECISIONS), Decision.class),
        JsonVariables.read(variables.get(CIRCLECI_CALL), CircleCiCall.class),
        timeline,
        new ApprovalView.Links(
            publicBaseUrl + "/camunda/app/tasklist/default/" + (taskId == null ? "" : "#/?task=" + taskId),
            publicBaseUrl + "/camunda/app/cockpit/default/#/process-instance/" + instance.getId(),
            buildUrl));
  }

  private static ApprovalStatus statusOf(boolean running, String recorded) {
    if (running) {
      return ApprovalStatus.PENDING;
    }
    // An instance ended without an outcome was withdrawn (deleted in Cockpit, say).
    return recorded == null ? ApprovalStatus.CANCELLED : ApprovalStatus.valueOf(recorded);
  }

  /** The open task of each request, in one query for all of them. */
  private Map<String, String> openTasksOf(List<String> instanceIds) {
    Map<String, String> byInstance = new HashMap<>();
    if (!instanceIds.isEmpty()) {
      tasks.createTaskQuery().processInstanceIdIn(instanceIds.toArray(String[]::new)).list()
          .forEach(task -> byInstance.putIfAbsent(task.getProcessInstanceId(), task.getId()));
    }
    return byInstance;
  }

  private List<ApprovalView.TimelineEntry> timelineOf(String instanceId, Map<String, Object> variables) {
    List<ApprovalView.TimelineEntry> timeline = new ArrayList<>();
    for (HistoricActivityInstance step : history.createHistoricActivityInstanceQuery().processInstanceId(instanceId).list()) {
      if ("FindApprovalJob".equals(step.getActivityId()) && text(variables, REQUESTER_NOT_IN_DIRECTORY) != null) {
        timeline.add(new ApprovalView.TimelineEntry(instant(step.getEndTime()), "The requester is no directory user",
            "'" + text(variables, REQUESTER_NOT_IN_DIRECTORY) + "' (CircleCI's login) matches nobody's id, e-mail or logins: "
                + "nobody is kept from approving as the requester"));
      }
      if (step.getActivityName() == null || step.getActivityType().endsWith("Gateway")) {
        continue;
      }
      timeline.add(new ApprovalView.TimelineEntry(instant(step.getStartTime()), step.getActivityName(),
          step.getActivityType() + (step.isCanceled() ? ", cancelled" : step.getEndTime() == null ? ", in progress" : "")));
    }
    for (OverruledClaim claim : JsonVariables.list(variables.get(OVERRULED_CLAIMS), OverruledClaim.class)) {
      timeline.add(new ApprovalView.TimelineEntry(claim.at(), "CircleCI overruled the pipeline's " + claim.field(),
          "the pipeline said '" + claim.claimed() + "', CircleCI says '" + claim.circleci() + "'"));
    }
    for (Notification notification : Notifications.in(variables)) {
      timeline.add(new ApprovalView.TimelineEntry(notification.at(), "Notified " + notification.user(),
          notification.channel() + ", " + notification.status()));
    }
    for (Decision decision : JsonVariables.list(variables.get(DECISIONS), Decision.class)) {
      timeline.add(new ApprovalView.TimelineEntry(decision.at(), decision.user() + " decided: " + decision.decision(),
          decision.channel() + (decision.comment() == null ? "" : ": " + decision.comment())));
    }
    CircleCiCall call = JsonVariables.read(variables.get(CIRCLECI_CALL), CircleCiCall.class);
    if (call != null) {
      if (call.refusedTokenOwner() != null) {
        timeline.add(new ApprovalView.TimelineEntry(call.at(), "CircleCI refused the token of " + call.refusedTokenOwner(),
            "HTTP " + call.refusedStatusCode() + "; the " + call.action() + " call was made again with the service token"));
      }
      timeline.add(new ApprovalView.TimelineEntry(call.at(), "CircleCI " + call.action(),
          (call.statusCode() == null ? call.message() : "HTTP " + call.statusCode()) + ", token of " + call.tokenOwner()));
    }
    timeline.sort(Comparator.comparing(ApprovalView.TimelineEntry::at, Comparator.nullsLast(Comparator.naturalOrder())));
    return timeline;
  }

  private static Object value(Map<String, Object> variables, String name) {
    Object typed = variables.get(name);
    return typed instanceof org.camunda.bpm.engine.variable.value.TypedValue value ? value.getValue() : typed;
  }

  private static String text(Map<String, Object> variables, String name) {
    Object value = value(variables, name);
    return value == null ? null : value.toString();
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
