package io.greenlight.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionRuleResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** bpmn/approver-routing.dmn, row by row, as the process evaluates it (hit policy FIRST). */
class ApproverRoutingTableTest {

  private static DmnEngine dmn;
  private static DmnDecision routing;

  @BeforeAll
  static void parseTable() throws Exception {
    dmn = DmnEngineConfiguration.createDefaultDmnEngineConfiguration().buildEngine();
    try (InputStream table = ApproverRoutingTableTest.class.getResourceAsStream("/bpmn/approver-routing.dmn")) {
      routing = dmn.parseDecision("approver-routing", table);
    }
  }

  @ParameterizedTest(name = "{0} {1} -> {2}, {3} approvals, escalate {4}, expire {5}")
  @CsvSource(nullValues = "null", textBlock = """
      gh/acme/payments,         main,           approvers, 2, PT10M, PT2H
      gh/acme/payments-api,     master,         approvers, 2, PT10M, PT2H
      bb/other/payments-ledger, main,           approvers, 2, PT10M, PT2H
      gh/acme/payments,         feature/x,      approvers, 1, PT15M, PT3H
      gh/acme/shop-payments,    main,           approvers, 1, PT15M, PT3H
      gh/acme/payments,         hotfix/refund,  approvers, 1, PT5M,  PT1H
      gh/acme/shop,             hotfix/login,   approvers, 1, PT5M,  PT1H
      gh/acme/shop,             main,           approvers, 1, PT15M, PT3H
      gh/acme/shop,             null,           approvers, 1, PT15M, PT3H
      """)
  void routes(String projectSlug, String branch, String group, int approvals, String escalateAfter, String expireAfter) {
    Map<String, Object> request = new HashMap<>();
    request.put("projectSlug", projectSlug);
    request.put("branch", branch);

    DmnDecisionRuleResult result = dmn.evaluateDecisionTable(routing, request).getSingleResult();

    assertThat(result.<String>getEntry("approverGroup")).isEqualTo(group);
    assertThat(((Number) result.getEntry("requiredApprovals")).intValue()).isEqualTo(approvals);
    assertThat(result.<String>getEntry("escalateAfter")).isEqualTo(escalateAfter);
    assertThat(result.<String>getEntry("expireAfter")).isEqualTo(expireAfter);
  }
}
