package io.greenlight.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The approvers a request names, as the directory knows them: the names that are groups, those that are users (a name
 * that is both is the group), and those it does not know. Built by {@link Directory#approvers}.
 */
public record Approvers(List<String> groups, List<String> users, List<String> unknown) {

  public Approvers {
    groups = List.copyOf(groups);
    users = List.copyOf(users);
    unknown = List.copyOf(unknown);
  }

  /** The first group named: its {@code escalate-to} is the last level asked. */
  public Optional<String> firstGroup() {
    return groups.stream().findFirst();
  }

  /** These approvers with {@code group} among the groups (the escalation group, once asked). */
  public Approvers withGroup(String group) {
    if (group == null || groups.contains(group)) {
      return this;
    }
    List<String> more = new ArrayList<>(groups);
    more.add(group);
    return new Approvers(more, users, unknown);
  }

  /** "release-managers, alice", for messages. */
  public String describe() {
    List<String> all = new ArrayList<>(groups);
    all.addAll(users);
    return String.join(", ", all);
  }
}
