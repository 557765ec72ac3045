package io.greenlight.approval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * One entry of {@code rules}: {@code required} approvals from {@code group} (directory groups and users, comma-separated
 * as {@link ApproverNames} keeps them), besides every other rule of the request. What the asking for this rule reached
 * is kept with it: the level, the escalation group once asked (its members count toward this rule too), and who was
 * asked; {@code approvedBy} is who counted toward it in the last counting.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApprovalRule(String group, int required, List<String> approvedBy, Integer escalationLevel, String escalatedTo,
                           List<String> asked) {

  public ApprovalRule {
    approvedBy = approvedBy == null ? List.of() : List.copyOf(approvedBy);
    asked = asked == null ? List.of() : List.copyOf(asked);
  }

  public static ApprovalRule of(String group, Integer required) {
    return new ApprovalRule(ApproverNames.normalised(group), required == null || required < 1 ? 1 : required, List.of(), null,
        null, List.of());
  }

  public ApprovalRule countedFor(List<String> approvers) {
    return new ApprovalRule(group, required, approvers, escalationLevel, escalatedTo, asked);
  }

  public ApprovalRule askedUpTo(int level, String escalationGroup, List<String> everyoneAsked) {
    return new ApprovalRule(group, required, approvedBy, level, escalationGroup, everyoneAsked);
  }

  public boolean met() {
    return approvedBy.size() >= required;
  }

  public int missing() {
    return Math.max(0, required - approvedBy.size());
  }

  /** The group as people read it: "alice, release-team". */
  public String readableGroup() {
    return ApproverNames.readable(ApproverNames.parse(group));
  }
}
