package io.greenlight.twilio;

import io.greenlight.web.ApiException;
import io.greenlight.web.WebhookCheck;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;

/**
 * Twilio's webhooks ({@code /twilio/**}: SMS replies, delivery reports, what a call's keypad said): signed with
 * {@code X-Twilio-Signature} over the URL and the form, or 403. The SDK's validator signs one value per field, so a form
 * that repeats a field (a second {@code Digits} appended after the signed one) is refused outright: Twilio never repeats
 * one, and whichever value a handler then read would not be the one that was signed.
 */
public class TwilioWebhookCheck implements WebhookCheck {

  private final TwilioSignatures signatures;

  public TwilioWebhookCheck(TwilioSignatures signatures) {
    this.signatures = signatures;
  }

  @Override
  public boolean covers(String path) {
    return path.startsWith("/twilio/");
  }

  @Override
  public boolean readsBody() {
    return false;
  }

  @Override
  public Optional<ApiException> refusal(HttpServletRequest request, byte[] body) {
    if (!signatures.valid(request)) {
      return Optional.of(new ApiException(HttpStatus.FORBIDDEN, "invalid_signature", null,
          "Missing or wrong X-Twilio-Signature; nothing was changed."));
    }
    Map<String, java.util.List<String>> posted = TwilioSignatures.postedValues(request);
    Optional<String> repeated = posted.entrySet().stream().filter(field -> field.getValue().size() > 1)
        .map(Map.Entry::getKey).findFirst();
    if (repeated.isPresent()) {
      return Optional.of(new ApiException(HttpStatus.BAD_REQUEST, "repeated_parameter", null,
          "The form repeats a field; Twilio sends each once. Nothing was changed."));
    }
    return Optional.empty();
  }
}
