package io.greenlight.sms;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.greenlight.twilio.TwilioHttpClient;
import io.greenlight.twilio.TwilioProperties;
import io.greenlight.twilio.TwilioRequests;
import java.net.URI;

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
    Message message = TwilioRequests.send("send_sms", "sending an SMS", () -> creator.create(client));
    return new SentSms(message.getSid(), message.getStatus() == null ? "queued" : message.getStatus().toString());
  }
}
