package io.greenlight.routing;

import static io.greenlight.approval.ApprovalVariables.ADDITIONAL_APPROVALS;
import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.REQUIRED_APPROVALS;

import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.ApprovalRules;
import io.greenlight.approval.ApproverNames;
import io.greenlight.approval.JsonVariables;
import io.greenlight.approval.RequestVariables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * {@code ${rulesAcrossGroups.of(execution)}}: the request's rules, as "Add the rules across groups" keeps them: the main
 * one (the approvers named, with the quorum) first, then one per row of the routing table's {@code additional-approvals}
 * that matched.
 */
@Component("rulesAcrossGroups")
public class RulesAcrossGroups {

  public Object of(DelegateExecution execution) {
    return JsonVariables.json(rules(execution));
  }

  /** {@code ${rulesAcrossGroups.progress(execution)}}: where each rule stands, for the Tasklist form. */
  public String progress(DelegateExecution execution) {
    return ApprovalRules.progress(rules(execution));
  }

  private static List<ApprovalRule> rules(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    List<ApprovalRule> rules = new ArrayList<>();
    rules.add(ApprovalRule.of(request.text(APPROVER_GROUP),
        execution.getVariable(REQUIRED_APPROVALS) instanceof Number required ? required.intValue() : null));
    if (execution.getVariableLocal(ADDITIONAL_APPROVALS) instanceof List<?> rows) {
      for (Object row : rows) {
        rules.add(ruleOf((Map<?, ?>) row));
      }
    }
    return rules;
  }

  /** A row the process owner wrote: a group (or users) to ask and a quorum of at least one; anything else is a fault of the table. */
  private static ApprovalRule ruleOf(Map<?, ?> row) {
    Object group = row.get("group");
    Object required = row.get(REQUIRED_APPROVALS);
    if (!(group instanceof String names) || ApproverNames.normalised(names) == null) {
      throw new IllegalStateException("A row of the routing table's additional-approvals names no group (" + row
          + "); fix the table and deploy it again, then retry this step in Cockpit.");
    }
    if (required != null && (!(required instanceof Number number) || number.intValue() < 1)) {
      throw new IllegalStateException("A row of the routing table's additional-approvals asks for " + required
          + " approvals from " + names + "; it must be 1 or more. Fix the table and deploy it again, then retry this step in Cockpit.");
    }
    return ApprovalRule.of(names, required == null ? 1 : ((Number) required).intValue());
  }
}
