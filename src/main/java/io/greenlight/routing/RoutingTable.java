package io.greenlight.routing;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.BRANCH;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.ROUTING_DECISION;

import io.greenlight.approval.ApproverNames;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableImpl;
import org.camunda.bpm.dmn.engine.impl.DmnDecisionTableRuleImpl;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.deploy.cache.DeploymentCache;
import org.camunda.bpm.engine.variable.Variables;

/**
 * The routing table the process owner deployed last ({@code approver-routing}), read outside a request: which approvers
 * it would route a request to, and which approvers its rows name. Nothing is recorded; the request's own routing step
 * is what counts and is kept in the history.
 */
public class RoutingTable {

  private final ProcessEngineConfigurationImpl engine;
  /** A DMN engine of its own: the process engine's records every evaluation in the history. */
  private final DmnEngine dmn = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
  /** The table of each deployed version, parsed once (deployed models do not change). */
  private final Map<String, DmnDecision> parsed = new ConcurrentHashMap<>();

  public RoutingTable(ProcessEngineConfigurationImpl engine) {
    this.engine = engine;
  }

  /** The approvers the table gives a request for {@code projectSlug} and {@code branch}; empty when no row matches. */
  public Optional<String> approversFor(String projectSlug, String branch) {
    DmnDecisionResult result = dmn.evaluateDecision(latest(),
        Variables.createVariables().putValue(PROJECT_SLUG, projectSlug).putValue(BRANCH, branch));
    return result.isEmpty() ? Optional.empty() : Optional.ofNullable(result.getFirstResult().getEntry(APPROVER_GROUP));
  }

  /**
   * The approvers the table's rows name as plain text ({@code "approvers"}, {@code "ops, alice"}); an expression that is
   * not a string literal names nobody here.
   */
  public Set<String> namedApprovers() {
    Set<String> names = new LinkedHashSet<>();
    if (latest().getDecisionLogic() instanceof DmnDecisionTableImpl table) {
      int column = 0;
      while (column < table.getOutputs().size() && !APPROVER_GROUP.equals(table.getOutputs().get(column).getOutputName())) {
        column++;
      }
      for (DmnDecisionTableRuleImpl rule : table.getRules()) {
        if (column < rule.getConclusions().size()) {
          String expression = rule.getConclusions().get(column).getExpression();
          if (expression != null && expression.trim().matches("^\"[^\"]*\"$")) {
            names.addAll(ApproverNames.parse(expression.trim().substring(1, expression.trim().length() - 1)));
          }
        }
      }
    }
    return names;
  }

  private DmnDecision latest() {
    return engine.getCommandExecutorTxRequired().execute(context -> {
      DeploymentCache deployed = context.getProcessEngineConfiguration().getDeploymentCache();
      String id = deployed.findDeployedLatestDecisionDefinitionByKey(ROUTING_DECISION).getId();
      return parsed.computeIfAbsent(id, key -> dmn.parseDecision(ROUTING_DECISION, deployed.findDmnModelInstanceForDecisionDefinition(key)));
    });
  }
}
