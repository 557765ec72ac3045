package io.greenlight.sms;

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

  @Test
  void nothingIsValidWithoutAnAuthToken() {
    assertThat(new TwilioSignatures(null, new PublicLinks("https://mycompany.com")).valid(vectorRequest("RSOYDt4T1cUTdK1PDd93/VVr8B8="))).isFalse();
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
