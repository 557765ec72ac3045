package io.greenlight.approval;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.audit.Timeline;
import io.greenlight.notify.Notifications;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Predicate;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstanceQuery;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.http.HttpStatus;

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
  private final Timeline timeline;
  private final String publicBaseUrl;

  public Approvals(HistoryService history, TaskService tasks, Timeline timeline, String publicBaseUrl) {
    this.history = history;
    this.tasks = tasks;
    this.timeline = timeline;
    this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
  }

  /** Who reads a timeline: people see everything; a pipeline's key does not see internals (see {@link Timeline}). */
  public enum Reader { PERSON, PIPELINE }

  /** The request without its timeline (what Greenlight's own steps and the POST answers need). */
  public Optional<ApprovalView> find(String id) {
    return find(id, null);
  }

  /** The request with its timeline, as {@code reader} may see it. */
  public Optional<ApprovalView> findWithTimeline(String id, Reader reader) {
    return find(id, reader);
  }

  /**
   * A request that has just been started with {@code variables} (its answer to the pipeline): what it holds is known, so
   * only its start time is read.
   */
  public ApprovalView justStarted(String id, Map<String, Object> variables) {
    HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
    return view(instance, variables, null, null);
  }

  private Optional<ApprovalView> find(String id, Reader timelineReader) {
    HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery()
        .processDefinitionKey(PROCESS_KEY).processInstanceId(id).singleResult();
    if (instance == null) {
      return Optional.empty();
    }
    Map<String, Object> variables = variablesOf(List.of(id)).getOrDefault(id, Map.of());
    return Optional.of(view(instance, variables, openTasksOf(List.of(id)).get(id), timelineReader));
  }

  /**
   * Which requests a list shows; every part may be null (no filter). {@code from} and {@code to} bound when the request
   * was made ({@code to} exclusive); {@code decidedBy} keeps requests that user answered.
   */
  public record Filter(ApprovalStatus status, String projectSlug, String decidedBy, Instant from, Instant to) {

    /** A filter from query parameters as people write them (each may be null); a bad one is a 400 naming it. */
    public static Filter parse(String status, String projectSlug, String decidedBy, String from, String to) {
      if (projectSlug != null && !projectSlug.matches(Formats.PROJECT_SLUG)) {
        throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", "project_slug",
            "project_slug must be a CircleCI project slug such as gh/acme/shop.");
      }
      if (decidedBy != null && !decidedBy.matches(Formats.DIRECTORY_ID)) {
        throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", "decided_by", "decided_by must be a directory user id.");
      }
      Instant since = TimeRange.start("from", from);
      Instant until = TimeRange.end("to", to);
      if (since != null && until != null && !since.isBefore(until)) {
        throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", "to", "to must be later than from.");
      }
      return new Filter(statusOf(status), projectSlug, decidedBy, since, until);
    }

    private static ApprovalStatus statusOf(String status) {
      if (status == null || status.isBlank()) {
        return null;
      }
      try {
        return ApprovalStatus.valueOf(status.trim().toUpperCase());
      } catch (IllegalArgumentException e) {
        throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", "status",
            "status must be one of " + Arrays.toString(ApprovalStatus.values()) + ".");
      }
    }
  }

  /**
   * Newest first, up to {@code limit} requests that match {@code filter} and that the caller may see
   * ({@code visibleProject}).
   */
  public List<ApprovalView> list(Filter filter, int limit, Predicate<String> visibleProject) {
    HistoricProcessInstanceQuery query = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY);
    if (filter.status() == ApprovalStatus.PENDING) {
      query.unfinished();
    } else if (filter.status() != null) {
      query.finished().variableValueEquals(STATUS, filter.status().name());
    }
    if (filter.projectSlug() != null) {
      query.variableValueEquals(PROJECT_SLUG, filter.projectSlug());
    }
    if (filter.from() != null) {
      query.startedAfter(Date.from(filter.from()));
    }
    if (filter.to() != null) {
      query.startedBefore(Date.from(filter.to().minusMillis(1)));
    }
    Predicate<ApprovalView> answeredBy = approval -> true;
    if (filter.decidedBy() != null) {
      // Every recorded answer completed the decision task as its user, which the engine logs with who and where.
      Set<String> answered = history.createUserOperationLogQuery().processDefinitionKey(PROCESS_KEY)
          .userId(filter.decidedBy()).operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).list().stream()
          .map(UserOperationLogEntry::getProcessInstanceId).filter(Objects::nonNull).collect(Collectors.toSet());
      if (answered.isEmpty()) {
        return List.of();
      }
      query.processInstanceIds(answered);
      answeredBy = approval -> approval.decisions().stream().anyMatch(decision -> filter.decidedBy().equals(decision.user()));
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
          .filter(answeredBy)
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

  /** {@code timelineReader}: who reads the timeline, or null to leave it out. */
  private ApprovalView view(HistoricProcessInstance instance, Map<String, Object> variables, String taskId,
                            Reader timelineReader) {
    ApprovalStatus status = statusOf(instance.getEndTime() == null, text(variables, STATUS));
    String buildUrl = text(variables, BUILD_URL);
    List<Decision> decisions = JsonVariables.list(variables.get(DECISIONS), Decision.class);
    Integer requiredApprovals = value(variables, REQUIRED_APPROVALS) instanceof Number n ? n.intValue() : null;
    Instant expiresAt = value(variables, EXPIRES_AT) instanceof Date date ? date.toInstant() : null;
    Stage stage = Stage.of(instance.getEndTime() == null, text(variables, STATUS), text(variables, APPROVAL_REQUEST_ID) != null,
        taskId != null, Answers.decided(decisions, requiredApprovals), text(variables, FAILURE_REASON) != null, expiresAt,
        ClockUtil.getCurrentTime().toInstant());
    return new ApprovalView(
        instance.getId(),
        status,
        stage,
        text(variables, PROJECT_SLUG),
        text(variables, WORKFLOW_ID),
        text(variables, APPROVAL_JOB),
        text(variables, APPROVAL_REQUEST_ID),
        text(variables, REQUESTED_BY),
        text(variables, BRANCH),
        text(variables, COMMIT),
        text(variables, SUMMARY),
        text(variables, APPROVER_GROUP),
        requiredApprovals,
        value(variables, ESCALATION_LEVEL) instanceof Number level ? level.intValue() : null,
        text(variables, ESCALATED_TO),
        text(variables, CODE),
        instant(instance.getStartTime()),
        expiresAt,
        instant(instance.getEndTime()),
        text(variables, FAILURE_REASON),
        Notifications.in(variables),
        decisions,
        JsonVariables.read(variables.get(CIRCLECI_CALL), CircleCiCall.class),
        timelineReader == null ? null : timeline.of(instance, variables, status.name(), timelineReader == Reader.PIPELINE),
        new ApprovalView.Links(
            publicBaseUrl + "/camunda/app/tasklist/default/" + (taskId == null ? "" : "#/?task=" + taskId),
            publicBaseUrl + "/camunda/app/cockpit/default/#/process-instance/" + instance.getId(),
            buildUrl,
            publicBaseUrl + "/history/" + instance.getId()));
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
