package io.greenlight.voice;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import com.twilio.type.Twiml;
import io.greenlight.twilio.TwilioHttpClient;
import io.greenlight.twilio.TwilioProperties;
import io.greenlight.twilio.TwilioRequests;
import java.util.List;

/** Phone calls through Twilio's Calls API with the Twilio SDK; what the call says is TwiML given with the call. */
class TwilioCalls {

  /** How long the phone rings before Twilio gives up ("no-answer"), in seconds. */
  private static final int RING_SECONDS = 30;

  private final TwilioRestClient client;
  private final TwilioProperties properties;

  TwilioCalls(TwilioProperties properties) {
    this.properties = properties;
    this.client = new TwilioRestClient.Builder(properties.accountSid(), properties.authToken())
        .httpClient(new TwilioHttpClient(properties))
        .build();
  }

  /** What Twilio said of a call it was asked to make: its id and first status. */
  record Placed(String callSid, String status) {}

  /**
   * Calls {@code to}, running {@code twiml} when they answer; Twilio reports how the call ended (completed, busy,
   * no-answer, failed) to {@code statusCallback}.
   *
   * @throws io.greenlight.twilio.TwilioRefusedException when Twilio refuses the call for good (an invalid number, say)
   */
  Placed call(String to, String twiml, String statusCallback) {
    var creator = Call.creator(new PhoneNumber(to), new PhoneNumber(properties.fromNumber()), new Twiml(twiml))
        .setStatusCallback(statusCallback)
        .setStatusCallbackEvent(List.of("completed"))
        .setTimeout(RING_SECONDS);
    Call call = TwilioRequests.send("create_call", "a call", () -> creator.create(client));
    return new Placed(call.getSid(), call.getStatus() == null ? "queued" : call.getStatus().toString());
  }
}
