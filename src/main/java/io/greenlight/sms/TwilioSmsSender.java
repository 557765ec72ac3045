package io.greenlight.sms;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.metrics.GreenlightMetrics;
import java.net.URI;
import java.time.Duration;

/** SMS through Twilio's Messages API with the Twilio SDK. */
public class TwilioSmsSender implements SmsSender {

  private final TwilioRestClient client;
  private final TwilioProperties properties;

  public TwilioSmsSender(TwilioProperties properties) {
    this.properties = properties;
    this.client = new TwilioRestClient.Builder(properties.accountSid(), properties.authToken())
        .httpClient(new TwilioHttpClient(properties))
        .build();
  }

  @Override
  public SentSms send(String to, String body, String statusCallback) {
    var creator = Message.creator(new PhoneNumber(to), new PhoneNumber(properties.fromNumber()), body);
    if (statusCallback != null) {
      creator.setStatusCallback(URI.create(statusCallback));
    }
    long started = System.nanoTime();
    try {
      Message message = creator.create(client);
      took(started, GreenlightMetrics.OK);
      return new SentSms(message.getSid(), message.getStatus() == null ? "queued" : message.getStatus().toString());
    } catch (RetryAfterException rateLimited) {
      took(started, GreenlightMetrics.RATE_LIMITED);
      throw rateLimited;
    } catch (ApiException e) {
      Integer status = e.getStatusCode();
      took(started, status == null ? GreenlightMetrics.UNREACHABLE : GreenlightMetrics.outcomeOf(status));
      if (status == null) {
        // The SDK reports a refused connection or a timeout as an ApiException without a status.
        throw new IllegalStateException("Twilio could not be reached: " + e.getMessage(), e);
      }
      // (429 does not get here: TwilioHttpClient turns it into a RetryAfterException with Twilio's Retry-After.)
      // 401/403/404 mean Greenlight's Twilio settings are wrong, which an admin can fix: retry, then an incident.
      if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 408) {
        throw new SmsRefusedException("Twilio refused the SMS (" + status + (e.getCode() == null ? "" : ", error " + e.getCode())
            + "): " + e.getMessage());
      }
      throw new IllegalStateException("Twilio answered " + status + " to sending an SMS: " + e.getMessage(), e);
    } catch (ApiConnectionException e) {
      took(started, GreenlightMetrics.UNREACHABLE);
      throw new IllegalStateException("Twilio could not be reached: " + e.getMessage(), e);
    }
  }

  private static void took(long started, String outcome) {
    GreenlightMetrics.twilioCall("send_sms", outcome, Duration.ofNanos(System.nanoTime() - started));
  }
}
