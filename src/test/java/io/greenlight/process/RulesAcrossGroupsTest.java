package io.greenlight.process;

import static io.greenlight.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.*;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.greenlight.approval.ApprovalRule;
import io.greenlight.approval.JsonVariables;
import io.greenlight.oncall.Rotation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.junit5.ProcessEngineExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rules across groups: a row of the routing table's additional-approvals asks a second group besides the main one's
 * quorum. Each rule's group is asked and escalated on its own; each approver counts toward one rule only; one
 * rejection rejects. The table is edited as a process owner would, and deployed on its own.
 */
class RulesAcrossGroupsTest extends ApprovalScenario {

  @RegisterExtension
  static ProcessEngineExtension engine = ProcessEngineExtension.builder().configurationResource(ApprovalScenario.ENGINE_CONFIGURATION).build();

  private String deploymentId;

  @Override
  protected ProcessEngineExtension engine() {
    return engine;
  }

  @AfterEach
  void undeploy() {
    if (deploymentId != null) {
      repositoryService().deleteDeployment(deploymentId, true);
    }
  }

  @AfterAll
  static void coverage(TestInfo testClass) throws IOException {
    reportCoverage(testClass);
  }

  @Test
  void twoRulesAreMetByTwoPeople() {
    tableAdds("managers", 1);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    assertThat(rules(request)).extracting(ApprovalRule::group, ApprovalRule::required)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("approvers", 1), org.assertj.core.groups.Tuple.tuple("managers", 1));
    String onCall = managersOnCall();
    // The approvers (no rotation: all of them but carol, who asked) and the managers' on-call member are asked at once.
    assertThat(task()).hasCandidateGroup("approvers").hasCandidateGroup("managers");
    assertThat(rules(request).get(1).asked()).containsExactly(onCall);

    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("Decide");
    assertThat(rules(request).get(0).approvedBy()).containsExactly("alice");
    assertThat(rules(request).get(1).approvedBy()).isEmpty();

    decideAs(onCall, "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
    assertThat(rules(request).get(1).approvedBy()).containsExactly(onCall);
  }

  @Test
  void onePersonInBothGroupsCountsOnceAndALaterApproverFreesThemForTheOtherRule() {
    tableAdds("night", 1);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);

    // bob is an approver and on the night shift: one approval, toward one rule.
    decideAs("bob", "approve", null);
    assertThat(request).isWaitingAt("Decide");
    assertThat(rules(request).stream().mapToInt(rule -> rule.approvedBy().size()).sum()).isEqualTo(1);

    // alice can count for the approvers only: bob counts for the night shift, and both rules hold.
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("ApproveGate");
    assertThat(rules(request).get(0).approvedBy()).containsExactly("alice");
    assertThat(rules(request).get(1).approvedBy()).containsExactly("bob");
  }

  @Test
  void aRulesGroupEscalatesOnItsOwnWhileTheOtherIsMet() {
    tableAdds("managers", 1);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    passTime(Duration.ofMinutes(15));
    managementService().createJobQuery().activityId("EscalationDue").list().forEach(BpmnAwareTests::execute);

    // The approvers' rule is met: it asks nobody more (it keeps watching). The managers' goes on to the rest of the group.
    assertThat(request).hasPassed("RuleMet").isWaitingAt("Decide");
    assertThat(rules(request).get(0).escalationLevel()).isEqualTo(1);
    assertThat(rules(request).get(1).escalationLevel()).isEqualTo(2);
    assertThat(rules(request).get(1).asked()).containsExactlyInAnyOrder("mia", "max", "mo");
    assertThat(managementService().createJobQuery().activityId("EscalationDue").count()).isEqualTo(2);

    passTime(Duration.ofMinutes(15));
    managementService().createJobQuery().activityId("EscalationDue").list().forEach(BpmnAwareTests::execute);
    assertThat(rules(request).get(0).escalationLevel()).as("a met rule asks nobody more").isEqualTo(1);
    assertThat(rules(request).get(1).escalatedTo()).isEqualTo("directors");
    assertThat(task()).hasCandidateGroup("directors");
    // The managers' escalation group may answer for the managers' rule.
    decideAs("dora", "approve", "covering for the managers");
    assertThat(request).isWaitingAt("ApproveGate");
    assertThat(rules(request).get(1).approvedBy()).containsExactly("dora");
  }

  /**
   * A met rule can be missing again: a payments deploy needs two approvers and one of the night shift. bob (an
   * approver, and on the night shift) meets the night shift's rule alone; once alice approves too, the approvers' two are
   * alice and bob, and the night shift's rule is missing again: its asking goes on.
   */
  @Test
  void aRuleMetBySomeoneALaterApprovalCountsElsewhereIsAskedAgain() {
    tableAdds("night", 1);
    circleCi.workflowOnHold(WORKFLOW, "hold", "gh/acme/payments");
    ProcessInstance request = requestApproval("gh/acme/payments", "hold");
    reachDecision(request);
    decideAs("bob", "approve", null);
    assertThat(rules(request).stream().mapToInt(rule -> rule.approvedBy().size()).sum()).isEqualTo(1);
    decideAs("alice", "approve", null);
    // Two approvers for two approvals, and nobody left for the night shift: most rules met is one either way.
    assertThat(request).isWaitingAt("Decide");
    assertThat(rules(request).get(0).approvedBy()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(rules(request).get(1).approvedBy()).isEmpty();

    passTime(Duration.ofMinutes(15));
    managementService().createJobQuery().activityId("EscalationDue").list().forEach(BpmnAwareTests::execute);
    // The night shift's rule asks its next level: the directors (its escalate-to), as nobody else is on the night shift.
    assertThat(rules(request).get(1).escalatedTo()).isEqualTo("directors");
    decideAs("dora", "approve", "night cover");
    assertThat(request).isWaitingAt("ApproveGate");
  }

  @Test
  void oneRejectionRejectsWhateverTheOtherRulesSay() {
    tableAdds("managers", 1);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    decideAs(managersOnCall(), "reject", "not during the sale");
    assertThat(request).isWaitingAt("StopRejectedDeploy");
  }

  @Test
  void thePipelineNamingTheMainGroupStillGetsTheTablesRule() {
    tableAdds("managers", 1);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("gh/acme/shop", "hold", "solo,approvers");
    reachDecision(request);

    assertThat(rules(request)).extracting(ApprovalRule::group).containsExactly("solo,approvers", "managers");
    decideAs("alice", "approve", null);
    assertThat(request).isWaitingAt("Decide");
  }

  @Test
  void aRuleItsGroupCanNeverMeetFailsTheRequestAtOnce() {
    tableAdds("managers", 5);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    execute(job());
    execute(job());

    assertThat(request).hasPassed("NobodyCanApprove").isWaitingAt("StopUnapprovableDeploy");
    assertThat(asking(request).get(FAILURE_REASON).toString())
        .contains("additional approvals").contains("managers needs 5 approvals");
  }

  private static List<ApprovalRule> rules(ProcessInstance request) {
    return JsonVariables.list(runtimeService().getVariableTyped(request.getId(), RULES, false), ApprovalRule.class);
  }

  private String managersOnCall() {
    return new Rotation(directory.group("managers").orElseThrow().onCall()).at(ClockUtil.getCurrentTime().toInstant()).member();
  }

  /** The shipped routing table with one row in additional-approvals, as Modeler saves it, deployed on its own. */
  private void tableAdds(String group, int requiredApprovals) {
    String table = resource("/bpmn/approver-routing.dmn");
    int additional = table.indexOf("<decisionTable id=\"AdditionalApprovalsTable\"");
    int end = table.indexOf("</decisionTable>", additional);
    String row = """
          <rule id="RuleShopAlsoAsks">
            <inputEntry id="RuleShopAlsoAsksProject"><text>"gh/acme/shop","gh/acme/payments"</text></inputEntry>
            <inputEntry id="RuleShopAlsoAsksBranch"><text></text></inputEntry>
            <inputEntry id="RuleShopAlsoAsksEnvironment"><text></text></inputEntry>
            <outputEntry id="RuleShopAlsoAsksGroup"><text>"%s"</text></outputEntry>
            <outputEntry id="RuleShopAlsoAsksApprovals"><text>%d</text></outputEntry>
          </rule>
        """.formatted(group, requiredApprovals);
    deploymentId = repositoryService().createDeployment()
        .addString("approver-routing.dmn", table.substring(0, end) + row + table.substring(end)).deploy().getId();
  }

  private static String resource(String path) {
    try (InputStream in = RulesAcrossGroupsTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
