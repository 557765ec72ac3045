package io.greenlight.approval;

import static io.greenlight.approval.ApprovalVariables.*;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Approval requests as the engine's history holds them: the history is the record, there is no second store to keep in
 * step. The request's id is its process instance id. Views here carry no timeline: that is the read side's
 * ({@code audit}); the steps that answer and start requests need only the request's state.
 */
@Component
public class ApprovalRequests {

  private final HistoryService history;
  private final TaskService tasks;
  private final PublicLinks links;
  private final JdbcTemplate jdbc;
  private final GateKinds gateKinds;

  public ApprovalRequests(HistoryService history, TaskService tasks, PublicLinks links, JdbcTemplate jdbc, GateKinds gateKinds) {
    this.history = history;
    this.tasks = tasks;
    this.links = links;
    this.jdbc = jdbc;
    this.gateKinds = gateKinds;
  }

  /** The request as it stands, without its timeline. */
  public Optional<ApprovalView> find(String id) {
    HistoricProcessInstance instance = instance(id);
    if (instance == null) {
      return Optional.empty();
    }
    return Optional.of(view(instance, variablesOf(List.of(id)).getOrDefault(id, Map.of()), openTasksOf(List.of(id)).get(id)));
  }

  /** The request's history entry, or null when there is no such request. */
  public HistoricProcessInstance instance(String id) {
    return history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY).processInstanceId(id).singleResult();
  }

  /**
   * A request that has just been started with {@code variables} (its answer to the pipeline): what it holds is known, so
   * only its start time is read.
   */
  public ApprovalView justStarted(String id, Map<String, Object> variables) {
    HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
    return view(instance, variables, null);
  }

  /** The variables of each request (name → typed value), in one query for all of them; objects are never built. */
  public Map<String, Map<String, Object>> variablesOf(List<String> instanceIds) {
    Map<String, Map<String, Object>> byInstance = new HashMap<>();
    if (instanceIds.isEmpty()) {
      return byInstance;
    }
    for (HistoricVariableInstance variable : history.createHistoricVariableInstanceQuery()
        .processInstanceIdIn(instanceIds.toArray(String[]::new)).disableCustomObjectDeserialization().list()) {
      byInstance.computeIfAbsent(variable.getProcessInstanceId(), id -> new HashMap<>())
          .put(variable.getName(), variable.getTypedValue());
    }
    addLateReports(byInstance);
    return byInstance;
  }

  /**
   * Reports of a message or call that came after its request ended (kept beside the history, which no longer changes):
   * they update that notification as they would have while the request ran.
   */
  private void addLateReports(Map<String, Map<String, Object>> byInstance) {
    List<String> withNotifications = byInstance.entrySet().stream()
        .filter(instance -> instance.getValue().keySet().stream().anyMatch(name -> name.startsWith(NOTIFIED + ":")))
        .map(Map.Entry::getKey).toList();
    for (int from = 0; from < withNotifications.size(); from += 500) {
      List<String> some = withNotifications.subList(from, Math.min(withNotifications.size(), from + 500));
      jdbc.query("select request_id, variable, status, detail from greenlight_late_report where request_id in ("
          + String.join(",", java.util.Collections.nCopies(some.size(), "?")) + ")", row -> {
        Map<String, Object> variables = byInstance.get(row.getString(1));
        Notification sent = variables == null ? null : JsonVariables.read(variables.get(row.getString(2)), Notification.class);
        if (sent != null) {
          variables.put(row.getString(2), JsonVariables.text(sent.withStatus(row.getString(3), row.getString(4))));
        }
      }, some.toArray());
    }
  }

  /** The open task of each request, in one query for all of them. */
  public Map<String, String> openTasksOf(List<String> instanceIds) {
    Map<String, String> byInstance = new HashMap<>();
    if (!instanceIds.isEmpty()) {
      tasks.createTaskQuery().processInstanceIdIn(instanceIds.toArray(String[]::new)).list()
          .forEach(task -> byInstance.putIfAbsent(task.getProcessInstanceId(), task.getId()));
    }
    return byInstance;
  }

  /** The view of one request from its history entry, its variables and its open task (null when none). */
  public ApprovalView view(HistoricProcessInstance instance, Map<String, Object> variables, String taskId) {
    ApprovalStatus status = statusOf(instance.getEndTime() == null, text(variables, STATUS));
    List<Decision> decisions = JsonVariables.list(variables.get(DECISIONS), Decision.class);
    Integer requiredApprovals = value(variables, REQUIRED_APPROVALS) instanceof Number n ? n.intValue() : null;
    Instant expiresAt = value(variables, EXPIRES_AT) instanceof Date date ? date.toInstant() : null;
    List<ApprovalRule> rules = ApprovalRules.of(variables.get(RULES), text(variables, APPROVER_GROUP), requiredApprovals,
        text(variables, ESCALATED_TO), decisions);
    Stage stage = Stage.of(instance.getEndTime() == null, text(variables, STATUS), text(variables, APPROVAL_REQUEST_ID) != null,
        taskId != null, ApprovalRules.decided(decisions, rules) || variables.get(BREAK_GLASS) != null,
        text(variables, FAILURE_REASON) != null, expiresAt,
        ClockUtil.getCurrentTime().toInstant());
    GateKind gate = gateKinds.of(value(variables, GATE));
    return new ApprovalView(
        instance.getId(),
        status,
        stage,
        gate,
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
        Notification.allIn(variables),
        decisions,
        text(variables, APPROVER_GROUP) == null ? null : rules.stream()
            .map(rule -> new ApprovalView.Rule(rule.readableGroup(), rule.required(), rule.approvedBy(), rule.escalatedTo())).toList(),
        JsonVariables.read(variables.get(CHANGES), ApprovalView.Changes.class),
        text(variables, CHANGES_UNKNOWN),
        null,
        JsonVariables.read(variables.get(BREAK_GLASS), BreakGlass.class),
        gate.viewPart(RequestVariables.of(variables)),
        null,
        new ApprovalView.Links(links.tasklist(taskId), links.cockpit(instance.getId()), text(variables, BUILD_URL),
            links.history(instance.getId())));
  }

  private static ApprovalStatus statusOf(boolean running, String recorded) {
    if (running) {
      return ApprovalStatus.PENDING;
    }
    // An instance ended without an outcome was withdrawn (deleted in Cockpit, say).
    return recorded == null ? ApprovalStatus.CANCELLED : ApprovalStatus.valueOf(recorded);
  }

  private static Object value(Map<String, Object> variables, String name) {
    Object typed = variables.get(name);
    return typed instanceof TypedValue value ? value.getValue() : typed;
  }

  private static String text(Map<String, Object> variables, String name) {
    Object value = value(variables, name);
    return value == null ? null : value.toString();
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
