package io.greenlight.approval;

import java.util.Arrays;
import java.util.List;

/**
 * The names a process owner may list, comma-separated and in any order, in the {@code levels} input of "Choose who to
 * ask next" on the diagram: each one a level of asking, the next one reached when nobody answers in time.
 */
public final class AskingLevels {

  /** Each user the request names, and each named group's on-call member (all its members when it has no rotation). */
  public static final String ON_CALL = "on-call";
  /** Every member of the groups the request names. */
  public static final String NAMED_GROUPS = "named-groups";
  /**
   * The members of the first named group's {@code escalate-to} group; the diagram's next step lets that group decide
   * too.
   */
  public static final String ESCALATION_GROUP = "escalation-group";

  public static final List<String> ALL = List.of(ON_CALL, NAMED_GROUPS, ESCALATION_GROUP);

  /** What earlier models (without the {@code levels} input) asked: these three, in this order. */
  public static final List<String> IN_EARLIER_MODELS = ALL;

  /** The levels of the input's text, in order: {@code "on-call, named-groups"}. */
  public static List<String> parse(String listed) {
    return listed == null ? List.of()
        : Arrays.stream(listed.split(",")).map(String::trim).filter(level -> !level.isEmpty()).toList();
  }

  private AskingLevels() {}
}
