package io.greenlight.approval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who a request names as its approvers: directory groups and users, as a pipeline writes them in {@code approver_group}
 * or the xMatters orb in {@code recipients} ("release-managers, alice" or "ops alice"), or as a routing table row gives
 * them. Kept in the process as one comma-separated text in the order named; the first group named is the one whose
 * {@code escalate-to} is asked last.
 */
public final class ApproverNames {

  private ApproverNames() {}

  /** The names in {@code text}, split at commas and white space, in order, each once; empty for null or blank. */
  public static List<String> parse(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : text.trim().split("[,\\s]+")) {
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return List.copyOf(names);
  }

  /** The one text the process keeps: the names joined by commas, or null when there are none. */
  public static String normalised(String text) {
    List<String> names = parse(text);
    return names.isEmpty() ? null : String.join(",", names);
  }

  /** The names as people read them ("release-managers, alice"). */
  public static String readable(List<String> names) {
    return String.join(", ", new ArrayList<>(names));
  }
}
