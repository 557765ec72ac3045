package io.greenlight.notify;

import io.greenlight.directory.DirectoryFile;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * A way to reach a person: SMS, e-mail, Slack. A new channel is a Spring bean implementing this: "Ask on each of their
 * channels" asks on it everyone it {@link #reaches}, and "Tell everyone the outcome" uses it too. Nothing else changes. See docs/architecture.md.
 */
public interface Channel {

  /** The channel's name, as notifications and the diagram's {@code channel} input name it ({@code sms}, {@code email}). */
  String name();

  /** Whether the channel is on and {@code person} has an address on it: only then is a message to them a job at all. */
  boolean reaches(DirectoryFile.User person);

  /**
   * Asks {@code approver} to answer the request {@code execution} belongs to, and records what was sent
   * ({@link Notifications#record}). Does nothing when the channel is off or the approver has no address on it. An address
   * the provider refuses for good is recorded as failed; a provider that fails or cannot be reached throws, so the job
   * is retried.
   */
  void ask(DelegateExecution execution, DirectoryFile.User approver);

  /**
   * Tells {@code person} {@code text}: how the request {@code execution} belongs to ended. A channel whose messages can
   * change (Slack) may instead update those it sent the person about the request. Null when the channel is off or does
   * not reach them; throws when sending fails.
   */
  Sent tell(DelegateExecution execution, DirectoryFile.User person, String text);

  /** What the provider said of a message: its first status and its id for the message, when it gives one. */
  record Sent(String status, String reference) {}
}
