package io.greenlight.routing;

import static io.greenlight.approval.ApprovalVariables.APPROVER_GROUP;
import static io.greenlight.approval.ApprovalVariables.BRANCH;
import static io.greenlight.approval.ApprovalVariables.ENVIRONMENT;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;
import static io.greenlight.approval.ApprovalVariables.ROUTING_DECISION;

import io.greenlight.approval.ApproverNames;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * How long the version found last is taken as the latest without asking the database: a deployment or deletion on
   * this node is seen at once ({@link Deployments}, the engine's cache), one on another node of a cluster within this time.
   */
  static final long LATEST_FOR_NANOS = 30_000_000_000L;
  /** Answers remembered per version: pipelines ask for the same few projects and branches over and over. */
  static final int MOST_REMEMBERED = 1_000;
  /** The table's second decision: rules across groups, added to the main group's quorum. */
  static final String ADDITIONAL_DECISION = "additional-approvals";

  private final ProcessEngineConfigurationImpl engine;
  private final Deployments deployments;
  /** A DMN engine of its own: the process engine's records every evaluation in the history. */
  private final DmnEngine dmn = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
  /** The table of each deployed version, parsed once (deployed models do not change). */
  private final Map<String, DmnDecision> parsed = new ConcurrentHashMap<>();
  private final Map<String, Latest> latest = new ConcurrentHashMap<>();

  /** The latest version as found, when, at which count of local deployments, and its answers so far. */
  private record Latest(String id, DmnDecision decision, long foundAtNanos, long deploymentsSeen,
                        Map<List<String>, Optional<String>> answers) {}

  public RoutingTable(ProcessEngineConfigurationImpl engine, Deployments deployments) {
    this.engine = engine;
    this.deployments = deployments;
  }

  /** The approvers the table gives a request for {@code projectSlug} and {@code branch}; empty when no row matches. */
  public Optional<String> approversFor(String projectSlug, String branch) {
    Latest table = latest(ROUTING_DECISION);
    List<String> question = Arrays.asList(projectSlug, branch);
    Optional<String> known = table.answers().get(question);
    if (known != null) {
      return known;
    }
    DmnDecisionResult result = dmn.evaluateDecision(table.decision(),
        Variables.createVariables().putValue(PROJECT_SLUG, projectSlug).putValue(BRANCH, branch));
    Optional<String> answer = result.isEmpty() ? Optional.empty() : Optional.ofNullable(result.getFirstResult().getEntry(APPROVER_GROUP));
    if (table.answers().size() < MOST_REMEMBERED) {
      table.answers().put(question, answer);
    }
    return answer;
  }

  /**
   * The groups the table's {@code additional-approvals} adds rules for, for a request of {@code projectSlug},
   * {@code branch} and {@code environment} (the GitHub environment or the CircleCI approval job); none when no row
   * matches or the table has no such decision.
   */
  public List<String> additionalGroupsFor(String projectSlug, String branch, String environment) {
    Latest table = latest(ADDITIONAL_DECISION);
    if (table == null) {
      return List.of();
    }
    List<String> question = Arrays.asList(projectSlug, branch, environment);
    Optional<String> known = table.answers().get(question);
    if (known == null) {
      DmnDecisionResult result = dmn.evaluateDecision(table.decision(), Variables.createVariables()
          .putValue(PROJECT_SLUG, projectSlug).putValue(BRANCH, branch).putValue(ENVIRONMENT, environment));
      known = Optional.of(String.join(",", result.collectEntries("group").stream().filter(String.class::isInstance)
          .map(String.class::cast).toList()));
      if (table.answers().size() < MOST_REMEMBERED) {
        table.answers().put(question, known);
      }
    }
    return ApproverNames.parse(known.get());
  }

  /**
   * The approvers the table's rows name as plain text ({@code "approvers"}, {@code "ops, alice"}), in both its decisions
   * (the main approvers, and the groups of the rules across groups); an expression that is not a string literal names
   * nobody here.
   */
  public Set<String> namedApprovers() {
    Set<String> names = new LinkedHashSet<>();
    names.addAll(namedIn(latest(ROUTING_DECISION), APPROVER_GROUP));
    names.addAll(namedIn(latest(ADDITIONAL_DECISION), "group"));
    return names;
  }

  /**
   * Every group the table's {@code additional-approvals} names as plain text: who may be asked once a request whose
   * environment is not known yet (a CircleCI job still being looked up) is routed.
   */
  public Set<String> additionalGroupsNamed() {
    return namedIn(latest(ADDITIONAL_DECISION), "group");
  }

  private static Set<String> namedIn(Latest table, String output) {
    Set<String> names = new LinkedHashSet<>();
    if (table != null && table.decision().getDecisionLogic() instanceof DmnDecisionTableImpl rows) {
      int column = 0;
      while (column < rows.getOutputs().size() && !output.equals(rows.getOutputs().get(column).getOutputName())) {
        column++;
      }
      for (DmnDecisionTableRuleImpl rule : rows.getRules()) {
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

  /** A deleted deployment leaves the engine's cache at once; the cache's own eviction only costs one query more. */
  private boolean stillDeployed(String decisionDefinitionId) {
    return engine.getDeploymentCache().findDecisionDefinitionFromCache(decisionDefinitionId) != null;
  }

  /** The latest version of the decision {@code key}; null when none is deployed (only the routing table must be). */
  private Latest latest(String key) {
    Latest known = latest.get(key);
    long deploymentsNow = deployments.count();
    if (known != null && known.deploymentsSeen() == deploymentsNow && System.nanoTime() - known.foundAtNanos() < LATEST_FOR_NANOS
        && (known.id() == null || stillDeployed(known.id()))) {
      return known.id() == null ? null : known;
    }
    Latest found = engine.getCommandExecutorTxRequired().execute(context -> {
      DeploymentCache deployed = context.getProcessEngineConfiguration().getDeploymentCache();
      boolean exists = context.getProcessEngineConfiguration().getRepositoryService().createDecisionDefinitionQuery()
          .decisionDefinitionKey(key).count() > 0;
      if (!exists && !ROUTING_DECISION.equals(key)) {
        return new Latest(null, null, System.nanoTime(), deploymentsNow, new ConcurrentHashMap<>());
      }
      String id = deployed.findDeployedLatestDecisionDefinitionByKey(key).getId();
      DmnDecision decision = parsed.computeIfAbsent(id,
          version -> dmn.parseDecision(key, deployed.findDmnModelInstanceForDecisionDefinition(version)));
      return new Latest(id, decision, System.nanoTime(), deploymentsNow,
          known != null && id.equals(known.id()) ? known.answers() : new ConcurrentHashMap<>());
    });
    latest.put(key, found);
    return found.id() == null ? null : found;
  }
}
