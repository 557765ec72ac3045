package io.greenlight.sms;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code greenlight.twilio.*}. SMS is off until account SID, auth token and sender number are all set. */
@ConfigurationProperties("greenlight.twilio")
public record TwilioProperties(String accountSid, String authToken, String fromNumber, String baseUrl) {

  public TwilioProperties {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.twilio.com" : baseUrl.replaceAll("/+$", "");
  }

  public boolean configured() {
    return present(accountSid) && present(authToken) && present(fromNumber);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "TwilioProperties[accountSid=" + accountSid + ", authToken=" + (present(authToken) ? "(set)" : "(none)")
        + ", fromNumber=" + fromNumber + ", baseUrl=" + baseUrl + "]";
  }
}
