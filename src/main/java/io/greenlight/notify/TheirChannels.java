package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER;

import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The channels "Ask on each of their channels" asks the approver on: each that is on and that they have an address on
 * ({@link Channel#reaches}), so a channel that is off, or that they lack, costs no job, no commit and no history. A
 * channel named in an input {@code <channel>AtLevels} of "Notify approver" (as shipped: {@code voiceAtLevels} =
 * {@code escalation-group}) is used only for people asked at one of the levels it lists.
 */
@Component("theirChannels")
public class TheirChannels {

  /** The suffix of the inputs that limit a channel to some levels: {@code voiceAtLevels}. */
  public static final String AT_LEVELS_SUFFIX = "AtLevels";

  private final Channels channels;
  private final Directory directory;

  public TheirChannels(Channels channels, Directory directory) {
    this.channels = channels;
    this.directory = directory;
  }

  /** The names of the channels that reach the approver of {@code execution} at the level they are asked at. */
  public List<String> of(DelegateExecution execution) {
    DirectoryFile.User approver = directory.user(String.valueOf(execution.getVariable(APPROVER))).orElse(null);
    if (approver == null) {
      return List.of();
    }
    return channels.all().stream()
        .filter(channel -> channel.reaches(approver) && usedAtThisLevel(execution, channel.name()))
        .map(Channel::name)
        .toList();
  }

  private static boolean usedAtThisLevel(DelegateExecution execution, String channel) {
    Object listed = execution.getVariable(channel + AT_LEVELS_SUFFIX);
    return listed == null || AskingLevelsCheck.askedAtOneOf(execution, listed, channel + AT_LEVELS_SUFFIX, "\"Notify approver\"");
  }
}
