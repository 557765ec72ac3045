package io.greenlight.notify;

import static io.greenlight.approval.ApprovalVariables.APPROVER;

import io.greenlight.approval.RequestVariables;
import io.greenlight.directory.Directory;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Send SMS", "Send e-mail" (and every channel's task like them): asks the approver of this "Notify approver" instance
 * on the channel the task names in its input {@code channel}.
 */
@Component("askOnChannel")
public class AskOnChannel implements JavaDelegate {

  /** The task's input naming its channel. */
  public static final String CHANNEL = "channel";

  private final Channels channels;
  private final Directory directory;

  public AskOnChannel(Channels channels, Directory directory) {
    this.channels = channels;
    this.directory = directory;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RequestVariables request = RequestVariables.of(execution);
    Channel channel = channels.named(request.text(CHANNEL));
    directory.user(request.text(APPROVER)).ifPresent(approver -> channel.ask(execution, approver));
  }
}
