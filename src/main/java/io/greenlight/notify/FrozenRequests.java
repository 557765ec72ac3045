package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;

import io.greenlight.answer.DecisionRules;
import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.ProcessMessages;
import io.greenlight.freeze.ActiveFreeze;
import io.greenlight.freeze.FreezesChanged;
import java.util.Date;
import java.util.Optional;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.EventSubscription;
import org.camunda.bpm.engine.runtime.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Freezes reach the requests already waiting: one whose approvers were asked before a freeze began goes to the
 * break-glass group ("Frozen meanwhile"), and one waiting for a freeze to end waits for the new end ("Freeze ended"
 * moves, to now when nothing freezes it any more). At once when a freeze is declared or ended through the API, and every
 * minute for those that begin on their own (a recurring freeze, a declared one whose start has come); an answer refused
 * because of a freeze reaches its request at once too.
 */
@Component
public class FrozenRequests {

  private static final Logger log = LoggerFactory.getLogger(FrozenRequests.class);

  private final RuntimeService runtime;
  private final ManagementService management;
  private final DecisionRules decisionRules;

  FrozenRequests(RuntimeService runtime, ManagementService management, DecisionRules decisionRules) {
    this.runtime = runtime;
    this.management = management;
    this.decisionRules = decisionRules;
  }

  @EventListener
  void freezesChanged(FreezesChanged changed) {
    reachWaitingRequests();
  }

  @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
  void everyMinute() {
    try {
      reachWaitingRequests();
    } catch (RuntimeException failed) {
      // The database gone, say: the next minute tries again.
      log.warn("Waiting requests could not be checked against the freezes now: {}", failed.getMessage());
    }
  }

  /** Every waiting request as the freezes stand now: frozen ones to the break-glass group, waits moved to their ends. */
  public void reachWaitingRequests() {
    for (EventSubscription waiting : runtime.createEventSubscriptionQuery().eventName(ProcessMessages.DEPLOYS_FROZEN).list()) {
      if (freezeOf(waiting.getProcessInstanceId()).isPresent()) {
        tryOn(waiting.getProcessInstanceId(), () -> runtime.createMessageCorrelation(ProcessMessages.DEPLOYS_FROZEN)
            .processInstanceId(waiting.getProcessInstanceId()).correlateAllWithResult());
      }
    }
    for (Job timer : management.createJobQuery().activityId(ActivityIds.FREEZE_ENDED).list()) {
      Date end = freezeOf(timer.getProcessInstanceId()).map(freeze -> Date.from(freeze.until())).orElse(ClockUtil.getCurrentTime());
      if (!end.equals(timer.getDuedate())) {
        tryOn(timer.getProcessInstanceId(), () -> management.setJobDuedate(timer.getId(), end));
      }
    }
  }

  private Optional<ActiveFreeze> freezeOf(String requestId) {
    Object project = runtime.getVariable(requestId, PROJECT_SLUG);
    return project == null ? Optional.empty() : decisionRules.freezeOf(project.toString());
  }

  /** One request changing at the same moment (an answer, a job) does not keep the others from being reached. */
  private static void tryOn(String requestId, Runnable change) {
    try {
      change.run();
    } catch (RuntimeException failed) {
      log.warn("Request {} could not be told of the changed freezes now ({}); its next refused approval or timer will",
          requestId, failed.getMessage());
    }
  }
}
