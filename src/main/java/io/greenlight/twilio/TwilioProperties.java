package io.greenlight.twilio;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.twilio.*}. SMS is off until account SID, auth token and sender number are all set; phone calls
 * ({@code voice}) need those too and are off unless switched on. Requests to Twilio give up after the connect and read
 * timeouts (5 s and 20 s unless set), and are retried then.
 */
@ConfigurationProperties("greenlight.twilio")
public record TwilioProperties(String accountSid, String authToken, String fromNumber, String baseUrl,
                               Duration connectTimeout, Duration readTimeout, boolean voice) {

  @ConstructorBinding
  public TwilioProperties {
    baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.twilio.com" : baseUrl.replaceAll("/+$", "");
    connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
    readTimeout = readTimeout == null ? Duration.ofSeconds(20) : readTimeout;
  }

  public TwilioProperties(String accountSid, String authToken, String fromNumber, String baseUrl) {
    this(accountSid, authToken, fromNumber, baseUrl, null, null, false);
  }

  public boolean configured() {
    return present(accountSid) && present(authToken) && present(fromNumber);
  }

  /** Approvers with {@code voice: true} in the directory are called when asked (docs/sms.md, "Phone calls"). */
  public boolean calls() {
    return voice && configured();
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "TwilioProperties[accountSid=" + accountSid + ", authToken=" + (present(authToken) ? "(set)" : "(none)")
        + ", fromNumber=" + fromNumber + ", baseUrl=" + baseUrl + ", voice=" + voice + "]";
  }
}
