package io.greenlight.sms;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.twilio.*}. SMS is off until account SID, auth token and sender number are all set. Calls to Twilio
 * give up after the connect and read timeouts (5 s and 20 s unless set), and are retried then.
 */
@ConfigurationProperties("greenlight.twilio")
public record TwilioProperties(String accountSid, String authToken, String fromNumber, String baseUrl,
                               Duration connectTimeout, Duration readTimeout) {

  @ConstructorBinding
  public TwilioProperties {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.twilio.com" : baseUrl.replaceAll("/+$", "");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(20) : readTimeout;
  }

  public TwilioProperties(String accountSid, String authToken, String fromNumber, String baseUrl) {
    this(accountSid, authToken, fromNumber, baseUrl, null, null);
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
