package io.greenlight.twilio;

/** Twilio refused the message or call and asking again would not help (an invalid number, say); anything else is worth a retry. */
public class TwilioRefusedException extends RuntimeException {
  public TwilioRefusedException(String message) {
    super(message);
  }
}
