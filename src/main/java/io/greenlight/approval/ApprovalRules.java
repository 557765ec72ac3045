package io.greenlight.approval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * The rules a request must meet, and how its approvals count toward them: each approver toward one rule only, counted
 * so that as many rules as possible are met (the main rule first when it is a tie), then as many approvals as possible
 * count. A request is approved once every rule is met; one rejection rejects it whatever the rules.
 */
public final class ApprovalRules {

  /** Beyond this many rules every subset is no longer tried; the rules are filled in order instead. */
  private static final int MOST_RULES_TRIED_EXACTLY = 12;

  private ApprovalRules() {}

  /**
   * The request's rules from its variables: {@code rules} when it has them, else the main rule alone (a request made
   * before rules across groups), toward which every distinct approver counts.
   */
  public static List<ApprovalRule> of(Object rulesVariable, String approverGroup, Integer requiredApprovals, String escalatedTo,
                                      List<Decision> decisions) {
    List<ApprovalRule> rules = JsonVariables.list(rulesVariable, ApprovalRule.class);
    if (!rules.isEmpty()) {
      return rules;
    }
    ApprovalRule main = ApprovalRule.of(approverGroup, requiredApprovals);
    return List.of(new ApprovalRule(main.group(), main.required(), Answers.approvers(decisions).stream().distinct().toList(), null,
        escalatedTo, List.of()));
  }

  /** The rules of the running request {@code scope} belongs to. */
  public static List<ApprovalRule> of(VariableScope scope) {
    return of(name -> scope.getVariableTyped(name, false));
  }

  /** The rules from the request's variables as {@code variable} gives them by name (plain or typed values). */
  public static List<ApprovalRule> of(Function<String, Object> variable) {
    Object approverGroup = plain(variable.apply(ApprovalVariables.APPROVER_GROUP));
    Object required = plain(variable.apply(ApprovalVariables.REQUIRED_APPROVALS));
    Object escalatedTo = plain(variable.apply(ApprovalVariables.ESCALATED_TO));
    return of(variable.apply(ApprovalVariables.RULES), approverGroup instanceof String group ? group : null,
        required instanceof Number number ? number.intValue() : null, escalatedTo instanceof String group ? group : null,
        JsonVariables.list(variable.apply(ApprovalVariables.DECISIONS), Decision.class));
  }

  /**
   * The rules as the view shows them (a routed request; empty before routing, when nobody is named yet), for who may
   * answer and whether it is decided.
   */
  public static List<ApprovalRule> ofView(ApprovalView approval) {
    if (approval.rules() == null) {
      return List.of();
    }
    return approval.rules().stream().map(rule -> new ApprovalRule(ApproverNames.normalised(rule.group()), rule.required(),
        rule.approvedBy(), null, rule.escalatedTo(), List.of())).toList();
  }

  private static Object plain(Object value) {
    return value instanceof TypedValue typed ? typed.getValue() : value;
  }

  /** Every rule is met; a request with no rules yet (not routed) is not. */
  public static boolean met(List<ApprovalRule> rules) {
    return !rules.isEmpty() && rules.stream().allMatch(ApprovalRule::met);
  }

  /** The answers are in: a rejection, or every rule met. */
  public static boolean decided(List<Decision> decisions, List<ApprovalRule> rules) {
    return Answers.rejected(decisions) || met(rules);
  }

  /** "1 from security, 2 from release-team": what is still missing, in the order of the rules; empty once all are met. */
  public static String stillNeeded(List<ApprovalRule> rules) {
    return rules.stream().filter(rule -> !rule.met())
        .map(rule -> rule.missing() + " from " + rule.readableGroup()).collect(Collectors.joining(", "));
  }

  /** Keeps {@code rules} in the request (and where each stands, for the Tasklist form). */
  public static void write(VariableScope scope, List<ApprovalRule> rules) {
    scope.setVariable(ApprovalVariables.RULES, JsonVariables.json(rules));
    scope.setVariable(ApprovalVariables.RULES_PROGRESS, progress(rules));
  }

  /** "approvers: 1 of 1 (alice); security: 0 of 1", for people. */
  public static String progress(List<ApprovalRule> rules) {
    return rules.stream().map(rule -> rule.readableGroup() + ": " + rule.approvedBy().size() + " of " + rule.required()
        + (rule.approvedBy().isEmpty() ? "" : " (" + String.join(", ", rule.approvedBy()) + ")")).collect(Collectors.joining("; "));
  }

  /**
   * {@code rules} with {@code approvers} (in the order they approved, each once) counted toward them: {@code mayCount}
   * says whether an approver belongs to a rule's group (or its escalation group once asked).
   */
  public static List<ApprovalRule> count(List<ApprovalRule> rules, List<String> approvers,
                                         BiPredicate<String, ApprovalRule> mayCount) {
    List<String> people = new ArrayList<>(new LinkedHashSet<>(approvers));
    boolean[][] eligible = new boolean[people.size()][rules.size()];
    for (int person = 0; person < people.size(); person++) {
      for (int rule = 0; rule < rules.size(); rule++) {
        eligible[person][rule] = mayCount.test(people.get(person), rules.get(rule));
      }
    }
    Assignment best = null;
    if (rules.size() <= MOST_RULES_TRIED_EXACTLY) {
      // Subsets of rules, most rules first (ties: the earlier rules): the first that can be met in full is met.
      List<Integer> subsets = new ArrayList<>();
      for (int subset = (1 << rules.size()) - 1; subset >= 0; subset--) {
        subsets.add(subset);
      }
      subsets.sort((a, b) -> Integer.bitCount(b) != Integer.bitCount(a) ? Integer.bitCount(b) - Integer.bitCount(a)
          : Integer.compareUnsigned(Integer.reverse(b), Integer.reverse(a)));
      for (int subset : subsets) {
        Assignment trial = new Assignment(eligible, rules, subset);
        if (trial.meetsAll(subset)) {
          best = trial;
          break;
        }
      }
    }
    if (best == null) {
      best = new Assignment(eligible, rules, 0);
    }
    best.fillTheRest();
    List<ApprovalRule> counted = new ArrayList<>();
    for (int rule = 0; rule < rules.size(); rule++) {
      List<String> toward = new ArrayList<>();
      for (int person = 0; person < people.size(); person++) {
        if (best.ruleOf[person] == rule) {
          toward.add(people.get(person));
        }
      }
      counted.add(rules.get(rule).countedFor(toward));
    }
    return counted;
  }

  /** Approvers to rules, each approver to one rule, each rule up to its quorum; grown by augmenting paths. */
  private static final class Assignment {

    private final boolean[][] eligible;
    private final List<ApprovalRule> rules;
    private final int[] ruleOf;
    private final int[] load;
    private final int[] capacity;

    Assignment(boolean[][] eligible, List<ApprovalRule> rules, int subset) {
      this.eligible = eligible;
      this.rules = rules;
      this.ruleOf = new int[eligible.length];
      Arrays.fill(ruleOf, -1);
      this.load = new int[rules.size()];
      this.capacity = new int[rules.size()];
      for (int rule = 0; rule < rules.size(); rule++) {
        capacity[rule] = (subset & (1 << rule)) != 0 ? rules.get(rule).required() : 0;
      }
      augmentAll();
    }

    boolean meetsAll(int subset) {
      for (int rule = 0; rule < rules.size(); rule++) {
        if ((subset & (1 << rule)) != 0 && load[rule] < rules.get(rule).required()) {
          return false;
        }
      }
      return true;
    }

    /**
     * Every rule open up to its quorum: an augmenting path only ever raises the load of the rule it ends at, so the rules
     * met so far stay met.
     */
    void fillTheRest() {
      for (int rule = 0; rule < rules.size(); rule++) {
        capacity[rule] = rules.get(rule).required();
      }
      augmentAll();
    }

    private void augmentAll() {
      for (int person = 0; person < ruleOf.length; person++) {
        if (ruleOf[person] < 0) {
          augment(person, new boolean[rules.size()]);
        }
      }
    }

    private boolean augment(int person, boolean[] visited) {
      for (int rule = 0; rule < rules.size(); rule++) {
        if (!eligible[person][rule] || visited[rule] || capacity[rule] == 0) {
          continue;
        }
        visited[rule] = true;
        if (load[rule] < capacity[rule]) {
          assign(person, rule);
          return true;
        }
        for (int other = 0; other < ruleOf.length; other++) {
          if (ruleOf[other] == rule && augment(other, visited)) {
            load[rule]--;
            assign(person, rule);
            return true;
          }
        }
      }
      return false;
    }

    private void assign(int person, int rule) {
      ruleOf[person] = rule;
      load[rule]++;
    }
  }
}
