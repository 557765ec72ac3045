package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER;
import static io.greenlight.approval.ApprovalVariables.MESSAGE_LEAD;

import io.greenlight.approval.AskingLevels;
import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/**
 * "Ask on each of their channels": asks the approver of this "Notify approver" (or break-glass) instance on the channel
 * of this instance ({@code channel}, one of {@link TheirChannels#of}). In models before 2026-12 each channel was a task
 * of its own ("Send SMS", "Call approver"), naming its channel in the input {@code channel}; one with the input
 * {@code atLevels} asked only people asked at one of the levels it lists. Requests of those versions still run here.
 */
@Component("askOnChannel")
public class AskOnChannel implements JavaDelegate {

  /** The channel of this instance (the multi-instance's element; the task's input in earlier models). */
  public static final String CHANNEL = "channel";
  /** Earlier models: a channel task's optional input listing the levels ({@link AskingLevels}) at which it asks. */
  public static final String AT_LEVELS = "atLevels";

  private final Channels channels;
  private final Directory directory;
  private final FreezeCheck freezeCheck;

  public AskOnChannel(Channels channels, Directory directory, FreezeCheck freezeCheck) {
    this.channels = channels;
    this.directory = directory;
    this.freezeCheck = freezeCheck;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    if (request.text(CHANNEL) == null && gone(execution)) {
      // Answered meanwhile: the asking ended and took this instance (and its channel) with it after this job was
      // acquired. Another transaction changed what the job read; it is not retried, since it no longer exists.
      throw new OptimisticLockingException("The request moved on while " + execution.getCurrentActivityId() + " was starting");
    }
    Channel channel = channels.named(request.text(CHANNEL));
    if (execution.hasVariableLocal(AT_LEVELS) && !AskingLevelsCheck.askedAtOneOf(execution,
        execution.getVariableLocal(AT_LEVELS), AT_LEVELS, execution.getCurrentActivityId())) {
      return;
    }
    // Transient: what this message starts with is decided as it is sent, and kept nowhere.
    freezeCheck.lead(execution).ifPresent(lead -> execution.setVariableLocal(MESSAGE_LEAD, Variables.stringValue(lead, true)));
    directory.user(request.text(APPROVER)).ifPresent(approver -> channel.ask(execution, approver));
  }

  private static boolean gone(DelegateExecution execution) {
    return execution.getProcessEngineServices().getRuntimeService().createExecutionQuery()
        .executionId(execution.getId()).count() == 0;
  }
}
