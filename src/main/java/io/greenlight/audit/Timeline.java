package io.greenlight.audit;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.answer.RefusedAnswers.RefusedAnswer;
import io.greenlight.answer.RefusedAnswers;
import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalView.TimelineEntry;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.AskingLevels;
import io.greenlight.approval.BreakGlass;
import io.greenlight.approval.Decision;
import io.greenlight.approval.GateKind;
import io.greenlight.approval.GateKinds;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.Notification;
import io.greenlight.approval.OverruledClaim;
import io.greenlight.approval.RequestVariables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricDecisionInstance;
import org.camunda.bpm.engine.history.HistoricDecisionOutputInstance;
import org.camunda.bpm.engine.history.HistoricDetail;
import org.camunda.bpm.engine.history.HistoricIncident;
import org.camunda.bpm.engine.history.HistoricJobLog;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableUpdate;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.springframework.stereotype.Component;

/**
 * What happened to one request, in order, read from the engine's history: the activities the request passed, the
 * routing decision (which row of the table matched), the variables its steps wrote, the refused answers and the
 * incidents. Nothing here is a second record kept by hand.
 */
@Component
public class Timeline {

  /** The {@code event} of a timeline entry: stable words auditors and scripts can filter on (docs/audit.md). */
  public static final class Event {
    public static final String REQUESTED = "Requested";
    public static final String GATE_FOUND = "Gate found";
    public static final String GATE_NOT_FOUND = "Gate not found";
    public static final String ROUTED = "Routed";
    public static final String NOBODY_CAN_APPROVE = "Nobody can approve";
    public static final String ASKED = "Asked";
    public static final String NOTIFIED = "Notified";
    public static final String ESCALATED = "Escalated";
    public static final String ANSWERED = "Answered";
    public static final String CHANGES = "Changes";
    public static final String CHANGES_NOT_LOOKED_UP = "Changes not looked up";
    public static final String ANSWER_REFUSED = "Answer refused";
    public static final String DEADLINE_PASSED = "Deadline passed";
    public static final String CLAIM_OVERRULED = "Claim overruled";
    public static final String UNKNOWN_REQUESTER = "Requester not in directory";
    public static final String INCIDENT = "Incident";
    public static final String INCIDENT_RESOLVED = "Incident resolved";
    public static final String OUTCOME = "Outcome";
    public static final String FROZEN = "Frozen";
    public static final String FREEZE_ENDED = "Freeze ended";
    public static final String BREAK_GLASS = "Break-glass approval";
    public static final String REVIEWED = "Emergency deploy reviewed";
    public static final String REVIEW_OVERDUE = "Review overdue";

    // Named after the gate's system (GateKind.systemName): "Decided in CircleCI", "GitHub refused"; and each kind's
    // calls ("CircleCI call", "Token refused": GateKind.calls).

    static String decidedIn(GateKind gate) {
      return "Decided in " + gate.systemName();
    }

    static String refusedBy(GateKind gate) {
      return gate.systemName() + " refused";
    }

    private Event() {}
  }

  /** "Ask the break-glass group" as a whole (its multi-instance body), once for every member. */
  private static final String ASK_BREAK_GLASS_GROUP_BODY = ActivityIds.ASK_BREAK_GLASS_GROUP + "#multiInstanceBody";

  private final HistoryService history;
  private final TaskService tasks;
  private final RepositoryService repository;
  private final GateKinds gateKinds;
  /** How a rule is named, by decision definition and rule id; deployed models do not change. */
  private final Map<String, String> ruleNames = new ConcurrentHashMap<>();

  public Timeline(HistoryService history, TaskService tasks, RepositoryService repository, GateKinds gateKinds) {
    this.history = history;
    this.tasks = tasks;
    this.repository = repository;
    this.gateKinds = gateKinds;
  }

  /**
   * {@code variables}: the request's variables as {@code Approvals} read them (name → typed value). For a pipeline
   * ({@code forPipeline}) what people wrote in refused answers and the errors behind incidents are left out: a CI key
   * reads its requests' progress, not Greenlight's internals or people's words that were never recorded as answers.
   */
  public List<TimelineEntry> of(HistoricProcessInstance instance, Map<String, Object> variables, String status,
                                boolean forPipeline) {
    String id = instance.getId();
    GateKind gate = gateKinds.of(text(variables, GATE));
    List<TimelineEntry> timeline = new ArrayList<>();
    timeline.add(new TimelineEntry(instant(instance.getStartTime()), Event.REQUESTED, text(variables, REQUESTED_BY),
        text(variables, REQUESTED_THROUGH), describeRequest(variables, gate)));

    for (HistoricActivityInstance step : history.createHistoricActivityInstanceQuery().processInstanceId(id)
        .orderPartiallyByOccurrence().asc().list()) {
      stepEntry(step, variables, id).ifPresent(timeline::add);
    }
    String unknownRequester = text(variables, REQUESTER_NOT_IN_DIRECTORY);
    if (unknownRequester != null) {
      timeline.add(new TimelineEntry(instant(instance.getStartTime()), Event.UNKNOWN_REQUESTER, unknownRequester, null,
          "'" + unknownRequester + "' (" + gate.systemName() + "'s login) matches nobody's id, e-mail or "
              + "logins: nobody is kept from approving as the requester"));
    }
    for (OverruledClaim claim : JsonVariables.list(variables.get(OVERRULED_CLAIMS), OverruledClaim.class)) {
      timeline.add(new TimelineEntry(claim.at(), Event.CLAIM_OVERRULED, null, null, "the pipeline said " + claim.field()
          + " '" + claim.claimed() + "', " + gate.systemName() + " says '" + claim.circleci() + "'"));
    }
    for (Notification notification : Notification.allIn(variables)) {
      timeline.add(new TimelineEntry(notification.at(), Event.NOTIFIED, notification.user(), notification.channel(),
          notification.status() + (notification.detail() == null ? "" : ": " + notification.detail())));
    }
    List<ApprovalRule> rules = JsonVariables.list(variables.get(RULES), ApprovalRule.class);
    for (Decision decision : JsonVariables.list(variables.get(DECISIONS), Decision.class)) {
      timeline.add(new TimelineEntry(decision.at(), Event.ANSWERED, decision.user(), decision.channel(),
          decision.decision() + (decision.comment() == null ? "" : ": " + decision.comment())
              + countedFor(decision, rules)
              + (Boolean.TRUE.equals(decision.authorsUnchecked())
                  ? " (the change being deployed was not known: whether they wrote part of it could not be checked)" : "")));
    }
    BreakGlass breakGlass = JsonVariables.read(variables.get(BREAK_GLASS), BreakGlass.class);
    if (breakGlass != null) {
      timeline.add(new TimelineEntry(breakGlass.at(), Event.BREAK_GLASS, breakGlass.by(), null,
          "approved while deploys were frozen, alone, whatever the rules: " + breakGlass.reason()));
    }
    review(id).forEach(timeline::add);
    changes(id, variables, forPipeline).forEach(timeline::add);
    for (RefusedAnswer refused : RefusedAnswers.of(tasks, id)) {
      timeline.add(new TimelineEntry(refused.at(), Event.ANSWER_REFUSED, refused.user(), refused.channel(),
          (refused.decision() == null ? "" : refused.decision() + ", ") + "refused (" + refused.code() + "): " + refused.reason()
              + (refused.comment() == null || forPipeline ? "" : " Their comment: " + refused.comment())
              + (refused.repeated() == null ? "" : " (refused answer " + (RefusedAnswers.KEPT_IN_FULL + refused.count())
                  + " of theirs on this request: those after the first " + RefusedAnswers.KEPT_IN_FULL
                  + " are counted, and only the latest is kept)")));
    }
    timeline.addAll(gate.calls(RequestVariables.of(variables)));
    for (HistoricIncident incident : history.createHistoricIncidentQuery().processInstanceId(id).list()) {
      timeline.add(new TimelineEntry(instant(incident.getCreateTime()), Event.INCIDENT, null, null,
          incident.getActivityId() + (forPipeline ? " failed after its retries; an admin sees why in Cockpit"
              : ": " + incident.getIncidentMessage())));
      if (incident.isResolved()) {
        timeline.add(new TimelineEntry(instant(incident.getEndTime()), Event.INCIDENT_RESOLVED, null, null,
            incident.getActivityId() + " is being tried again"));
      }
    }
    if (instance.getEndTime() != null) {
      timeline.add(new TimelineEntry(instant(instance.getEndTime()), Event.OUTCOME, null, null, status
          + (text(variables, FAILURE_REASON) == null ? "" : ": " + text(variables, FAILURE_REASON))));
    }
    timeline.sort(Comparator.comparing(TimelineEntry::at, Comparator.nullsLast(Comparator.naturalOrder())));
    return timeline;
  }

  private java.util.Optional<TimelineEntry> stepEntry(HistoricActivityInstance step, Map<String, Object> variables,
                                                      String instanceId) {
    Instant ended = instant(step.getEndTime());
    if (ended == null) {
      return java.util.Optional.empty();
    }
    String activity = ActivityIds.current(step.getActivityId());
    GateKind gate = gateKinds.of(text(variables, GATE));
    RequestVariables request = RequestVariables.of(variables);
    String detail = switch (activity) {
      case ActivityIds.FIND_GATE -> step.isCanceled() ? null : gate.whereTheGateIs(request);
      case ActivityIds.GATE_NOT_FOUND -> text(variables, FAILURE_REASON);
      case ActivityIds.NOBODY_CAN_APPROVE -> text(variables, FAILURE_REASON) + " " + gate.stoppingNow();
      case ActivityIds.GATE_DECIDED_ELSEWHERE -> gate.decidedThere(request);
      case ActivityIds.ROUTE -> routing(instanceId, variables);
      case ActivityIds.ASK_NEXT_LEVEL -> asked(step, variables);
      case ActivityIds.ESCALATION_DUE -> "nobody answered within " + text(variables, ESCALATE_AFTER);
      case ActivityIds.ESCALATION_ASKED -> "escalation asked for (an ESCALATE reply, or a message that could not be delivered)";
      case ActivityIds.DEADLINE_PASSED -> "nobody decided by " + text(variables, EXPIRES_AT) + " (expire after "
          + text(variables, EXPIRE_AFTER) + ")";
      case ActivityIds.GATE_REFUSED -> text(variables, FAILURE_REASON);
      case ASK_BREAK_GLASS_GROUP_BODY -> step.isCanceled() ? null
          : "deploys of the project were frozen: the break-glass group was asked instead of the approvers";
      case ActivityIds.FREEZE_ENDED -> step.isCanceled() ? null
          : "the freeze ended: unless another freeze holds the project now, the approvers are asked from the first level";
      default -> null;
    };
    if (detail == null) {
      return java.util.Optional.empty();
    }
    String event = switch (activity) {
      case ActivityIds.FIND_GATE -> Event.GATE_FOUND;
      case ActivityIds.GATE_NOT_FOUND -> Event.GATE_NOT_FOUND;
      case ActivityIds.ROUTE -> Event.ROUTED;
      case ActivityIds.NOBODY_CAN_APPROVE -> Event.NOBODY_CAN_APPROVE;
      case ActivityIds.ASK_NEXT_LEVEL -> Event.ASKED;
      case ActivityIds.ESCALATION_DUE, ActivityIds.ESCALATION_ASKED -> Event.ESCALATED;
      case ActivityIds.DEADLINE_PASSED -> Event.DEADLINE_PASSED;
      case ActivityIds.GATE_REFUSED -> Event.refusedBy(gate);
      case ActivityIds.GATE_DECIDED_ELSEWHERE -> Event.decidedIn(gate);
      case ASK_BREAK_GLASS_GROUP_BODY -> Event.FROZEN;
      case ActivityIds.FREEZE_ENDED -> Event.FREEZE_ENDED;
      default -> throw new IllegalStateException("An element with a detail but no event: " + activity);
    };
    return java.util.Optional.of(new TimelineEntry(ended, event, null, null, detail));
  }

  /**
   * The review of a break-glass approval (a process of its own, keyed by the request's id): who reviewed, with what
   * outcome and comment; an overdue review's escalation.
   */
  private List<TimelineEntry> review(String requestId) {
    List<TimelineEntry> entries = new ArrayList<>();
    for (HistoricProcessInstance review : history.createHistoricProcessInstanceQuery().processDefinitionKey(REVIEW_PROCESS_KEY)
        .processInstanceBusinessKey(requestId).list()) {
      Map<String, Object> values = new HashMap<>();
      history.createHistoricVariableInstanceQuery().processInstanceId(review.getId()).list()
          .forEach(variable -> values.put(variable.getName(), variable.getValue()));
      for (HistoricActivityInstance step : history.createHistoricActivityInstanceQuery().processInstanceId(review.getId())
          .finished().list()) {
        if (ActivityIds.REVIEW_EMERGENCY_DEPLOY.equals(step.getActivityId()) && !step.isCanceled()) {
          // The outcome as the review's listener recorded it, with who gave it: nothing a form could set by itself.
          String comment = text(values, COMMENT);
          entries.add(new TimelineEntry(instant(step.getEndTime()), Event.REVIEWED, text(values, REVIEWED_BY), null,
              text(values, REVIEW_OUTCOME) + (comment == null || comment.isBlank() ? "" : ": " + comment)));
        } else if (ActivityIds.ESCALATE_OVERDUE_REVIEW.equals(step.getActivityId())) {
          entries.add(new TimelineEntry(instant(step.getEndTime()), Event.REVIEW_OVERDUE, null, null,
              "not reviewed by " + text(values, REVIEW_DUE) + ": escalated to " + text(values, ESCALATED_TO)));
        }
      }
    }
    return entries;
  }

  /** With rules across groups, which rule an approval counted toward in the last counting (each approver toward one). */
  private static String countedFor(Decision decision, List<ApprovalRule> rules) {
    if (rules.size() < 2 || !Decision.APPROVE.equals(decision.decision())) {
      return "";
    }
    return rules.stream().filter(rule -> rule.approvedBy().contains(decision.user())).findFirst()
        .map(rule -> " (counted for " + rule.readableGroup() + ")").orElse(" (counted for no rule: each it may count for was met by others)");
  }

  /** What was found of the change being deployed, and each time GitHub could not be asked (the step is tried again). */
  private List<TimelineEntry> changes(String id, Map<String, Object> variables, boolean forPipeline) {
    List<TimelineEntry> entries = new ArrayList<>();
    for (HistoricJobLog failure : history.createHistoricJobLogQuery().processInstanceId(id)
        .activityIdIn(ActivityIds.LOOK_UP_CHANGES_AGAIN).failureLog().list()) {
      entries.add(new TimelineEntry(instant(failure.getTimestamp()), Event.CHANGES_NOT_LOOKED_UP, null, null,
          (forPipeline ? "GitHub could not be asked" : failure.getJobExceptionMessage())
              + "; the request goes on, and the lookup is tried again"));
    }
    List<HistoricActivityInstance> lookups = new ArrayList<>();
    for (String step : List.of(ActivityIds.LOOK_UP_CHANGES, ActivityIds.GITHUB_DID_NOT_ANSWER, ActivityIds.LOOK_UP_CHANGES_AGAIN)) {
      lookups.addAll(history.createHistoricActivityInstanceQuery().processInstanceId(id).activityId(step).finished().list());
    }
    boolean firstTryFailed = lookups.stream().anyMatch(step -> ActivityIds.GITHUB_DID_NOT_ANSWER.equals(step.getActivityId()));
    for (HistoricActivityInstance lookup : lookups) {
      if (ActivityIds.GITHUB_DID_NOT_ANSWER.equals(lookup.getActivityId())) {
        entries.add(new TimelineEntry(instant(lookup.getEndTime()), Event.CHANGES_NOT_LOOKED_UP, null, null,
            "GitHub did not answer the first lookup; the request goes on, and the change is looked up again"));
        continue;
      }
      // A first try that failed ended at its boundary event, not with a change.
      if (lookup.isCanceled() || ActivityIds.LOOK_UP_CHANGES.equals(lookup.getActivityId()) && firstTryFailed) {
        continue;
      }
      ApprovalView.Changes changes = JsonVariables.read(variables.get(CHANGES), ApprovalView.Changes.class);
      entries.add(new TimelineEntry(instant(lookup.getEndTime()), Event.CHANGES, null, null, changes == null
          ? "not known: " + text(variables, CHANGES_UNKNOWN) + "; nobody can be kept from approving as an author"
          : changes.count() + " commit(s) since " + shortSha(changes.sinceCommit()) + " (request " + changes.sinceRequest()
              + "), by " + (changes.authors().isEmpty() ? "nobody GitHub knows" : String.join(", ", changes.authors()))
              + (changes.compareUrl() == null ? "" : ": " + changes.compareUrl())));
    }
    return entries;
  }

  private static String shortSha(String sha) {
    return sha == null ? "?" : sha.length() > 7 ? sha.substring(0, 7) : sha;
  }

  private static String describeRequest(Map<String, Object> variables, GateKind gate) {
    String commit = text(variables, COMMIT);
    return text(variables, PROJECT_SLUG) + (text(variables, BRANCH) == null ? "" : " " + text(variables, BRANCH))
        + (commit == null ? "" : " " + (commit.length() > 7 ? commit.substring(0, 7) : commit))
        + ", " + gate.workflow(text(variables, WORKFLOW_ID))
        + (text(variables, SUMMARY) == null ? "" : ": " + text(variables, SUMMARY))
        + (text(variables, API_CLIENT) == null ? "" : " (API client " + text(variables, API_CLIENT) + ")");
  }

  /** Which row of the routing table matched, and what it gave; then the rules its additional-approvals added. */
  private String routing(String instanceId, Map<String, Object> variables) {
    return mainRouting(instanceId, variables) + additionalRules(instanceId, variables);
  }

  /** "; and 1 from security (additional-approvals (version 2), row 1 (RuleX) matched: …)", for each rule added. */
  private String additionalRules(String instanceId, Map<String, Object> variables) {
    List<ApprovalRule> rules = JsonVariables.list(variables.get(RULES), ApprovalRule.class);
    StringBuilder added = new StringBuilder();
    for (HistoricDecisionInstance decision : history.createHistoricDecisionInstanceQuery().processInstanceId(instanceId)
        .activityIdIn(ActivityIds.ADD_RULES_ACROSS_GROUPS).includeOutputs().list()) {
      java.util.LinkedHashSet<String> matched = new java.util.LinkedHashSet<>();
      decision.getOutputs().forEach(output -> matched.add(output.getRuleId()));
      int index = 1;
      for (String ruleId : matched) {
        ApprovalRule rule = index < rules.size() ? rules.get(index) : null;
        added.append("; and ").append(rule == null ? "a rule" : rule.required() + " from " + rule.readableGroup()).append(" (")
            .append(decision.getDecisionDefinitionName()).append(", ").append(ruleOf(decision.getDecisionDefinitionId(), ruleId))
            .append(")");
        index++;
      }
    }
    return added.toString();
  }

  private String mainRouting(String instanceId, Map<String, Object> variables) {
    List<String> named = ApproverNames.parse(text(variables, APPROVER_GROUP));
    String given = "ask " + ApproverNames.readable(named)
        + (text(variables, REQUESTED_APPROVER_GROUP) != null ? " (named by the request)" : "")
        + ", " + text(variables, REQUIRED_APPROVALS) + " approval(s), escalate after " + text(variables, ESCALATE_AFTER)
        + ", expire after " + text(variables, EXPIRE_AFTER);
    for (HistoricDecisionInstance decision : history.createHistoricDecisionInstanceQuery().processInstanceId(instanceId)
        .activityIdIn(ActivityIds.ROUTE).includeOutputs().list()) {
      List<HistoricDecisionOutputInstance> outputs = decision.getOutputs();
      if (outputs.isEmpty()) {
        return "no rule of " + decision.getDecisionDefinitionName() + " matched; " + given;
      }
      HistoricDecisionOutputInstance output = outputs.get(0);
      return decision.getDecisionDefinitionName() + " (version " + decision.getDecisionDefinitionId().replaceAll("^[^:]*:(\\d+):.*$", "$1")
          + "), " + ruleOf(decision.getDecisionDefinitionId(), output.getRuleId()) + " → " + given;
    }
    return given;
  }

  /** "row 3 (RuleDefault): Everything else…" — the rule's place in the table, its id and its description. */
  private String ruleOf(String decisionDefinitionId, String ruleId) {
    return ruleNames.computeIfAbsent(decisionDefinitionId + "/" + ruleId, key -> {
      DmnModelInstance model = repository.getDmnModelInstance(decisionDefinitionId);
      Rule rule = model.getModelElementById(ruleId);
      if (rule == null) {
        return "rule " + ruleId;
      }
      DecisionTable table = (DecisionTable) rule.getParentElement();
      int row = new ArrayList<>(table.getRules()).indexOf(rule) + 1;
      String description = rule.getDescription() == null ? "" : rule.getDescription().getTextContent().trim();
      return "row " + row + " (" + ruleId + ") matched" + (description.isEmpty() ? "" : ": " + description);
    });
  }

  private static final Set<String> ASKED_STEP_WRITES = Set.of(ESCALATION_LEVEL, LEVEL_ASKED, TO_ASK, ESCALATED_TO, RULES);

  /**
   * The level "Choose who to ask next" reached and who it asked, from what that step wrote; with rules across groups,
   * for which rule (the step's instance of "Ask each rule's approvers" holds its index).
   */
  private String asked(HistoricActivityInstance step, Map<String, Object> variables) {
    Map<String, Object> written = new HashMap<>();
    for (HistoricDetail detail : history.createHistoricDetailQuery().activityInstanceId(step.getId())
        .variableUpdates().disableCustomObjectDeserialization().list()) {
      // Only what it reads: the step may also hold other variables (its inputs), of any type.
      if (detail instanceof HistoricVariableUpdate update && ASKED_STEP_WRITES.contains(update.getVariableName())) {
        // JSON (the rules) is read from its typed value: its plain value is not built without deserializing.
        Object value = RULES.equals(update.getVariableName()) ? update.getTypedValue() : update.getValue();
        if (value != null) {
          written.put(update.getVariableName(), value);
        }
      }
    }
    String forRule = "";
    List<ApprovalRule> rules = JsonVariables.list(written.get(RULES), ApprovalRule.class);
    Object ruleIndex = rules.isEmpty() ? null : history.createHistoricVariableInstanceQuery()
        .activityInstanceIdIn(step.getParentActivityInstanceId()).variableName(RULE).list().stream()
        .map(variable -> variable.getValue()).findFirst().orElse(null);
    if (ruleIndex instanceof Integer index && index < rules.size()) {
      ApprovalRule rule = rules.get(index);
      written.put(ESCALATION_LEVEL, rule.escalationLevel());
      if (rule.escalatedTo() != null) {
        written.put(ESCALATED_TO, rule.escalatedTo());
      }
      forRule = rules.size() > 1 ? "for " + rule.readableGroup() + ", " : "";
    }
    Object level = written.get(ESCALATION_LEVEL);
    String who = written.get(TO_ASK) instanceof String names && !names.isBlank() ? names.replace(",", ", ") : "nobody new";
    if (level == null) {
      return ": " + who;
    }
    // Earlier models wrote no level name: theirs were the three levels in their fixed order.
    Object named = written.get(LEVEL_ASKED);
    int number = Integer.parseInt(level.toString());
    String levelAsked = named != null ? named.toString()
        : AskingLevels.IN_EARLIER_MODELS.get(Math.min(number, AskingLevels.IN_EARLIER_MODELS.size()) - 1);
    String described = switch (levelAsked) {
      case AskingLevels.ON_CALL -> "on call";
      case AskingLevels.NAMED_GROUPS -> "the rest of the group";
      case AskingLevels.ESCALATION_GROUP -> "the escalation group" + (written.get(ESCALATED_TO) == null ? "" : " " + written.get(ESCALATED_TO));
      default -> levelAsked;
    };
    return forRule + "level " + level + " (" + described + "): " + who;
  }

  private static String text(Map<String, Object> variables, String name) {
    Object typed = variables.get(name);
    Object value = typed instanceof TypedValue typedValue ? typedValue.getValue() : typed;
    if (value instanceof Date date) {
      return date.toInstant().toString();
    }
    return value == null ? null : value.toString();
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
