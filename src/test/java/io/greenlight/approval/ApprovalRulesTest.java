package io.greenlight.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** How approvals count toward rules: each approver toward one rule, as many rules met as can be. */
class ApprovalRulesTest {

  private static final ApprovalRule ENGINEERS = ApprovalRule.of("engineers", 1);
  private static final ApprovalRule SECURITY = ApprovalRule.of("security", 1);

  /** alice is an engineer and in security; bob only an engineer; carol only in security. */
  private static final Map<String, Set<String>> GROUPS = Map.of("alice", Set.of("engineers", "security"),
      "bob", Set.of("engineers"), "carol", Set.of("security"));
  private static final BiPredicate<String, ApprovalRule> MEMBER = (user, rule) -> GROUPS.getOrDefault(user, Set.of()).contains(rule.group());

  @Test
  void onePersonInBothGroupsCountsOnce() {
    List<ApprovalRule> counted = ApprovalRules.count(List.of(ENGINEERS, SECURITY), List.of("alice"), MEMBER);
    assertThat(counted.stream().mapToInt(rule -> rule.approvedBy().size()).sum()).isEqualTo(1);
    assertThat(ApprovalRules.met(counted)).isFalse();
    assertThat(ApprovalRules.stillNeeded(counted)).isIn("1 from security", "1 from engineers");
  }

  @Test
  void aLaterApproverWhoCanCountForOneRuleOnlyMovesTheEarlierOneToTheOther() {
    List<ApprovalRule> counted = ApprovalRules.count(List.of(ENGINEERS, SECURITY), List.of("alice", "bob"), MEMBER);
    assertThat(counted.get(0).approvedBy()).containsExactly("bob");
    assertThat(counted.get(1).approvedBy()).containsExactly("alice");
    assertThat(ApprovalRules.met(counted)).isTrue();
  }

  @Test
  void asManyRulesAsCanBeMetAreMetBeforeMoreApprovalsCount() {
    ApprovalRule twoEngineers = ApprovalRule.of("engineers", 2);
    // alice and bob could make two engineers (one rule met), or alice security and bob one engineer (one rule met,
    // one approval short): the first meets a rule with both approvals counted.
    List<ApprovalRule> counted = ApprovalRules.count(List.of(twoEngineers, SECURITY), List.of("alice", "bob"), MEMBER);
    assertThat(counted.get(0).approvedBy()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(ApprovalRules.stillNeeded(counted)).isEqualTo("1 from security");

    // With carol, security is met by her and the engineers by alice and bob.
    counted = ApprovalRules.count(List.of(twoEngineers, SECURITY), List.of("alice", "bob", "carol"), MEMBER);
    assertThat(ApprovalRules.met(counted)).isTrue();
  }

  @Test
  void anApproverWhoCanCountForNoOpenRuleCountsNowhere() {
    List<ApprovalRule> counted = ApprovalRules.count(List.of(SECURITY), List.of("carol", "alice", "bob"), MEMBER);
    assertThat(counted.get(0).approvedBy()).containsExactly("carol");
  }

  @Test
  void aRequestWithoutRulesIsNeverMet() {
    assertThat(ApprovalRules.met(List.of())).isFalse();
    assertThat(ApprovalRules.decided(List.of(), List.of())).isFalse();
  }

  @Test
  void aRequestMadeBeforeRulesHasItsMainRuleWithEveryDistinctApprover() {
    List<Decision> decisions = List.of(new Decision("alice", "approve", "api", null, null),
        new Decision("bob", "approve", "api", null, null));
    List<ApprovalRule> rules = ApprovalRules.of(null, "approvers", 2, null, decisions);
    assertThat(rules).singleElement().satisfies(rule -> {
      assertThat(rule.approvedBy()).containsExactly("alice", "bob");
      assertThat(rule.met()).isTrue();
    });
  }
}
