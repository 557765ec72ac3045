package io.greenlight.approval;

import java.util.ArrayList;
import java.util.List;

/** Whose members may answer a request: its approver group, and the escalation group once that was asked. */
public final class CandidateGroups {

  private CandidateGroups() {}

  public static List<String> of(String approverGroup, String escalatedTo) {
    List<String> groups = new ArrayList<>();
    groups.add(approverGroup);
    if (escalatedTo != null) {
      groups.add(escalatedTo);
    }
    return groups;
  }
}
