package io.greenlight.metrics;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.CHANGES;
import static io.greenlight.approval.ApprovalVariables.DECISIONS;
import static io.greenlight.approval.ApprovalVariables.GATE;
import static io.greenlight.approval.ApprovalVariables.STATUS;

import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.Decision;
import io.greenlight.approval.GateKinds;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.springframework.stereotype.Component;

/**
 * End listener of the process ({@code ${countOutcome}}): counts the outcome, and for an approved or rejected request the
 * time from the request to the answer that decided it (the last one recorded).
 */
@Component("countOutcome")
public class CountOutcome implements ExecutionListener {

  @Override
  public void notify(DelegateExecution execution) {
    String status = RequestVariables.of(execution).text(STATUS);
    List<Decision> decisions = JsonVariables.list(execution, DECISIONS, Decision.class);
    Duration timeToDecision = null;
    // Only an answer decides: an expired or withdrawn request may hold answers that decided nothing.
    boolean answered = "APPROVED".equals(status) || "REJECTED".equals(status);
    if (answered && !decisions.isEmpty()) {
      HistoricProcessInstance instance = execution.getProcessEngineServices().getHistoryService()
          .createHistoricProcessInstanceQuery().processInstanceId(execution.getProcessInstanceId()).singleResult();
      Instant decided = decisions.get(decisions.size() - 1).at();
      if (instance != null && decided != null) {
        timeToDecision = Duration.between(instance.getStartTime().toInstant(), decided);
      }
    }
    int rules = execution.getVariable(APPROVER_GROUP) == null ? 0 : ApprovalRules.of(execution).size();
    boolean changeKnown = RequestVariables.of(execution).json(CHANGES, ApprovalView.Changes.class) != null;
    GreenlightMetrics.requestEnded(status == null ? "CANCELLED" : status, GateKinds.idOf(execution.getVariable(GATE)),
        timeToDecision, rules, changeKnown);
  }
}
