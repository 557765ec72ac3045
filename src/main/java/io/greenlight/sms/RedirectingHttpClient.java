package io.greenlight.sms;

import com.twilio.http.IRequest;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The Twilio SDK always calls {@code https://api.twilio.com}; this HTTP client sends its requests to
 * {@code greenlight.twilio.base-url} instead (a regional edge, a staging proxy, the tests' fake Twilio),
 * keeping path, query, form and authentication as the SDK built them.
 */
class RedirectingHttpClient extends NetworkHttpClient {

  private final URI target;

  RedirectingHttpClient(String baseUrl) {
    super(RequestConfig.custom()
        .setConnectTimeout(Timeout.ofSeconds(5))
        .setResponseTimeout(Timeout.ofSeconds(20))
        .setConnectionRequestTimeout(Timeout.ofSeconds(5))
        .build());
    this.target = URI.create(baseUrl);
  }

  @Override
  public Response makeRequest(Request request) {
    URI original = request.constructURL() == null ? URI.create(request.getUrl()) : toUri(request);
    String redirected = target.getScheme() + "://" + target.getRawAuthority()
        + (target.getRawPath() == null ? "" : target.getRawPath()) + original.getRawPath();
    Request copy = new Request(request.getMethod(), redirected);
    if (request.requiresAuthentication()) {
      if (request.getAuthStrategy() != null) {
        copy.setAuth(request.getAuthStrategy());
      } else {
        copy.setAuth(request.getUsername(), request.getPassword());
      }
    }
    copyParams(request.getQueryParams(), copy::addQueryParam);
    copyParams(request.getPostParams(), copy::addPostParam);
    copyParams(request.getHeaderParams(), copy::addHeaderParam);
    if (request.getContentType() != null) {
      copy.setContentType(request.getContentType());
    }
    if (request.getBody() != null) {
      copy.setBody(request.getBody());
    }
    return super.makeRequest(copy);
  }

  private static URI toUri(IRequest request) {
    try {
      return request.constructURL().toURI();
    } catch (Exception e) {
      return URI.create(request.getUrl());
    }
  }

  private static void copyParams(Map<String, List<String>> params, java.util.function.BiConsumer<String, String> add) {
    if (params != null) {
      params.forEach((name, values) -> values.forEach(value -> add.accept(name, value)));
    }
  }
}
