package io.greenlight.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.greenlight.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The answers of Twilio's webhooks when Greenlight takes nothing from a request, in the API's error shape. Their other
 * answers are TwiML (text), so the JSON is written here.
 */
public final class TwilioWebhookErrors {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TwilioWebhookErrors() {}

  public static ResponseEntity<String> badRequest(String what) {
    return error(HttpStatus.BAD_REQUEST, "invalid_parameter", what + "; nothing was changed.");
  }

  public static ResponseEntity<String> forbidden() {
    return error(HttpStatus.FORBIDDEN, "invalid_signature", "Missing or wrong X-Twilio-Signature; nothing was changed.");
  }

  private static ResponseEntity<String> error(HttpStatus status, String code, String message) {
    try {
      return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
          .body(JSON.writeValueAsString(new ApiError(code, message, null)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("An ApiError is always JSON", e);
    }
  }
}
