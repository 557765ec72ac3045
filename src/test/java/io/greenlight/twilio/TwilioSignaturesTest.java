package io.greenlight.twilio;

import io.greenlight.approval.PublicLinks;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Twilio's published test vector (src/test/resources/contracts/README.md), through Greenlight's URL and parameter handling. */
class TwilioSignaturesTest {

  private final TwilioSignatures signatures = new TwilioSignatures("12345", new PublicLinks("https://mycompany.com"));

  @Test
  void acceptsTheTwilioTestVector() {
    assertThat(signatures.valid(vectorRequest("RSOYDt4T1cUTdK1PDd93/VVr8B8="))).isTrue();
  }

  @Test
  void refusesAChangedParameterAWrongOrAMissingSignature() {
    MockHttpServletRequest changed = vectorRequest("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    changed.setParameter("Digits", "9999");

    assertThat(signatures.valid(changed)).isFalse();
    assertThat(signatures.valid(vectorRequest("AAAADt4T1cUTdK1PDd93/VVr8B8="))).isFalse();
    assertThat(signatures.valid(vectorRequest(null))).isFalse();
  }

  /** The key an approver pressed on Greenlight's call: the signed URL carries the request and the person. */
  @Test
  void acceptsTheGatherVectorAndNotTheSameKeysForAnotherPerson() {
    TwilioSignatures greenlight = new TwilioSignatures("12345", new PublicLinks("https://greenlight.example.com"));
    MockHttpServletRequest gather = gatherRequest("request=3b4506a1-0000-4000-8000-000000000001&user=alice");
    assertThat(greenlight.valid(gather)).isTrue();

    assertThat(greenlight.valid(gatherRequest("request=3b4506a1-0000-4000-8000-000000000001&user=bob"))).isFalse();
  }

  @Test
  void nothingIsValidWithoutAnAuthToken() {
    assertThat(new TwilioSignatures(null, new PublicLinks("https://mycompany.com")).valid(vectorRequest("RSOYDt4T1cUTdK1PDd93/VVr8B8="))).isFalse();
  }

  private static MockHttpServletRequest gatherRequest(String query) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/twilio/voice/gather");
    request.setQueryString(query);
    for (String pair : query.split("&")) {
      request.addParameter(pair.split("=")[0], pair.split("=")[1]);
    }
    request.addParameter("AccountSid", "ACfakeaccountsidfortestsonly000000");
    request.addParameter("CallSid", "CA0123456789abcdef0123456789abcdef");
    request.addParameter("CallStatus", "in-progress");
    request.addParameter("Digits", "1");
    request.addParameter("Direction", "outbound-api");
    request.addParameter("From", "+15550000000");
    request.addParameter("To", "+15551230002");
    request.addHeader(TwilioSignatures.HEADER, "A48bLuqMStGdDOuWeqZKp8vEE1Y=");
    return request;
  }

  /** Tomcat would hand the query parameters out with the form ones; the signature covers them through the URL. */
  private static MockHttpServletRequest vectorRequest(String signature) {
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/myapp.php");
    request.setServerName("10.0.0.7");
    request.setServerPort(8080);
    request.setQueryString("foo=1&bar=2");
    request.addParameter("foo", "1");
    request.addParameter("bar", "2");
    request.addParameter("CallSid", "CA1234567890ABCDE");
    request.addParameter("Caller", "+14158675309");
    request.addParameter("Digits", "1234");
    request.addParameter("From", "+14158675309");
    request.addParameter("To", "+18005551212");
    if (signature != null) {
      request.addHeader(TwilioSignatures.HEADER, signature);
    }
    return request;
  }
}
