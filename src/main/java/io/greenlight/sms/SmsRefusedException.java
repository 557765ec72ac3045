package io.greenlight.sms;

/** The provider refused the message and sending it again would not help; anything else is worth a retry. */
public class SmsRefusedException extends RuntimeException {
  public SmsRefusedException(String message) {
    super(message);
  }
}
