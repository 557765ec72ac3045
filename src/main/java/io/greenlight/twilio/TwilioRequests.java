package io.greenlight.twilio;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import io.greenlight.engine.RetryAfterException;
import io.greenlight.metrics.GreenlightMetrics;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One request to Twilio's API through the SDK, timed ({@code greenlight_twilio_calls}), with Twilio's answers sorted for
 * the engine: a refusal that asking again would not change becomes a {@link TwilioRefusedException}; an outage, a
 * timeout, a rate limit or wrong settings (401/403/404, which an admin can fix) stay exceptions, so the job is retried
 * and, in the end, an incident.
 */
public final class TwilioRequests {

  private TwilioRequests() {}

  /** {@code operation} names it in the metric ({@code send_sms}); {@code what} in messages ("the SMS"). */
  public static <T> T send(String operation, String what, Supplier<T> request) {
    long started = System.nanoTime();
    try {
      T answer = request.get();
      took(operation, started, GreenlightMetrics.OK);
      return answer;
    } catch (RetryAfterException rateLimited) {
      took(operation, started, GreenlightMetrics.RATE_LIMITED);
      throw rateLimited;
    } catch (ApiException e) {
      Integer status = e.getStatusCode();
      took(operation, started, status == null ? GreenlightMetrics.UNREACHABLE : GreenlightMetrics.outcomeOf(status));
      if (status == null) {
        // The SDK reports a refused connection or a timeout as an ApiException without a status.
        throw new IllegalStateException("Twilio could not be reached: " + e.getMessage(), e);
      }
      // (429 does not get here: TwilioHttpClient turns it into a RetryAfterException with Twilio's Retry-After.)
      if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 408) {
        throw new TwilioRefusedException("Twilio refused " + what + " (" + status + (e.getCode() == null ? "" : ", error " + e.getCode())
            + "): " + e.getMessage());
      }
      throw new IllegalStateException("Twilio answered " + status + " to " + what + ": " + e.getMessage(), e);
    } catch (ApiConnectionException e) {
      took(operation, started, GreenlightMetrics.UNREACHABLE);
      throw new IllegalStateException("Twilio could not be reached: " + e.getMessage(), e);
    }
  }

  private static void took(String operation, long started, String outcome) {
    GreenlightMetrics.twilioCall(operation, outcome, Duration.ofNanos(System.nanoTime() - started));
  }
}
