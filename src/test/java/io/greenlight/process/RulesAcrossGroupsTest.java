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
    assertThat(request).isWaitingAt("ApproveInCircleCi");
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
    assertThat(request).isWaitingAt("ApproveInCircleCi");
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

    // The approvers' rule is met: its asking ends. The managers' goes on to the rest of the group.
    assertThat(request).hasPassed("RuleMetEnd").isWaitingAt("Decide");
    assertThat(rules(request).get(0).escalationLevel()).isEqualTo(1);
    assertThat(rules(request).get(1).escalationLevel()).isEqualTo(2);
    assertThat(rules(request).get(1).asked()).containsExactlyInAnyOrder("mia", "max", "mo");
    assertThat(managementService().createJobQuery().activityId("EscalationDue").count()).isEqualTo(1);

    passTime(Duration.ofMinutes(15));
    execute(job("EscalationDue"));
    assertThat(rules(request).get(1).escalatedTo()).isEqualTo("directors");
    assertThat(task()).hasCandidateGroup("directors");
    // The managers' escalation group may answer for the managers' rule.
    decideAs("dora", "approve", "covering for the managers");
    assertThat(request).isWaitingAt("ApproveInCircleCi");
    assertThat(rules(request).get(1).approvedBy()).containsExactly("dora");
  }

  @Test
  void oneRejectionRejectsWhateverTheOtherRulesSay() {
    tableAdds("managers", 1);
    circleCi.workflowOnHold(WORKFLOW, "hold");
    ProcessInstance request = requestApproval("hold");
    reachDecision(request);
    decideAs("alice", "approve", null);

    decideAs(managersOnCall(), "reject", "not during the sale");
    assertThat(request).isWaitingAt("CancelRejectedWorkflow");
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

    assertThat(request).hasPassed("NobodyCanApprove").isWaitingAt("CancelUnapprovableWorkflow");
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
            <inputEntry id="RuleShopAlsoAsksProject"><text>"gh/acme/shop"</text></inputEntry>
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
