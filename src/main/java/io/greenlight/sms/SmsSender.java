package io.greenlight.sms;

/** Sends one SMS. */
public interface SmsSender {

  /**
   * @param statusCallback where the provider reports delivery, or null
   * @return the provider's message id and the message's first status
   * @throws TwilioRefusedException when the provider refuses the message for good (an invalid number, say)
   */
  SentSms send(String to, String body, String statusCallback);

  record SentSms(String messageId, String status) {}
}
