package io.greenlight.audit;

import static io.greenlight.approval.ApprovalVariables.*;

import io.greenlight.answer.DecisionRules;
import io.greenlight.approval.ApprovalRequests;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.ApprovalView;
import io.greenlight.directory.ApiClientAccess;
import io.greenlight.directory.Directory;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstanceQuery;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The read side's requests: one with its timeline, and lists of them, filtered and newest first. */
@Component
public class Approvals {

  public static final int MOST_LISTED = 100;
  /** How far back a list looks for requests the caller may see. */
  private static final int MOST_SCANNED = 2_000;

  private final HistoryService history;
  private final ApprovalRequests requests;
  private final Timeline timeline;
  private final Directory directory;
  private final DecisionRules decisionRules;

  public Approvals(HistoryService history, ApprovalRequests requests, Timeline timeline, Directory directory,
                   DecisionRules decisionRules) {
    this.decisionRules = decisionRules;
    this.history = history;
    this.requests = requests;
    this.timeline = timeline;
    this.directory = directory;
  }

  /**
   * The request as the caller may read it: the SMS code answers a request from an approver's phone, so it is shown to
   * those who may answer with it (the request's candidates), to admins, and to the API client that asked (to pass on);
   * to everyone else the request without it.
   */
  public ApprovalView asTheCallerMaySee(ApprovalView approval) {
    if (approval.code() == null) {
      return approval;
    }
    Optional<ApiClientAccess> client = CurrentCaller.apiClient();
    boolean mayKnow = client.isPresent() ? client.get().id().equals(askedBy(approval.id()))
        : CurrentCaller.isAdmin() || CurrentCaller.userId().map(user -> mayAnswerForARule(user, approval)).orElse(false);
    return mayKnow ? approval : approval.withoutCode();
  }

  /** Named by one of the request's rules, in one of its groups, or in a rule's escalation group once asked. */
  private boolean mayAnswerForARule(String user, ApprovalView approval) {
    return directory.mayAnswer(user,
        decisionRules.approvers(ApprovalRules.ofView(approval), decisionRules.freezeOf(approval.projectSlug())));
  }

  /** Who reads a timeline: people see everything; a pipeline's key does not see internals (see {@link Timeline}). */
  public enum Reader { PERSON, PIPELINE }

  /** The id of the API client whose key asked for the request; null when a webhook (GitHub) started it. */
  public String askedBy(String id) {
    var asked = history.createHistoricVariableInstanceQuery().processInstanceId(id).variableName(API_CLIENT)
        .disableCustomObjectDeserialization().singleResult();
    return asked == null || asked.getValue() == null ? null : asked.getValue().toString();
  }

  /** The request without its timeline. */
  public Optional<ApprovalView> find(String id) {
    return requests.find(id);
  }

  /** The request with its timeline, as {@code reader} may see it. */
  public Optional<ApprovalView> findWithTimeline(String id, Reader reader) {
    HistoricProcessInstance instance = requests.instance(id);
    if (instance == null) {
      return Optional.empty();
    }
    Map<String, Object> variables = requests.variablesOf(List.of(id)).getOrDefault(id, Map.of());
    ApprovalView view = withFreeze(requests.view(instance, variables, requests.openTasksOf(List.of(id)).get(id)));
    return Optional.of(view.withTimeline(timeline.of(instance, variables, view.status().name(), reader == Reader.PIPELINE)));
  }

  /** A pending request with the freeze that holds it now, if any: freezes come and go while it waits. */
  private ApprovalView withFreeze(ApprovalView view) {
    if (view.status() != ApprovalStatus.PENDING) {
      return view;
    }
    return view.withFrozen(decisionRules.freezeOf(view.projectSlug())
        .map(freeze -> new ApprovalView.Frozen(freeze.reason(), freeze.until())).orElse(null));
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
      Map<String, Map<String, Object>> variables = requests.variablesOf(ids);
      Map<String, String> openTasks = requests.openTasksOf(ids);
      page.stream()
          .map(instance -> requests.view(instance, variables.getOrDefault(instance.getId(), Map.of()), openTasks.get(instance.getId())))
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
}
