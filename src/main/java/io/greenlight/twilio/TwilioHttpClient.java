package io.greenlight.twilio;

import com.twilio.http.IRequest;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.greenlight.engine.RetryAfterException;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client the Twilio SDK uses here. It sends the SDK's requests to {@code greenlight.twilio.base-url} (a
 * regional edge, a staging proxy, the tests' fake Twilio), keeping path, query, form and authentication as the SDK
 * built them; it gives up on a Twilio that does not connect or answer in time (so a hung Twilio never holds an
 * engine thread for long); and a 429 becomes a {@link RetryAfterException} carrying Twilio's {@code Retry-After}.
 */
public class TwilioHttpClient extends NetworkHttpClient {

  private final URI target;

  public TwilioHttpClient(TwilioProperties properties) {
    super(httpClient(properties));
    this.target = URI.create(properties.baseUrl());
  }

  /**
   * The SDK puts its own timeouts (10 s to connect, 30.5 s to answer) on every request; the first step of the client's
   * chain puts ours back. Automatic retries are off: Apache's client would otherwise sleep out a {@code Retry-After}
   * inside the call, holding an engine thread; the engine's retry cycle does the waiting instead.
   */
  private static HttpClientBuilder httpClient(TwilioProperties properties) {
    Timeout connect = Timeout.of(properties.connectTimeout());
    Timeout read = Timeout.of(properties.readTimeout());
    RequestConfig timeouts = RequestConfig.custom().setConnectionRequestTimeout(connect).setResponseTimeout(read).build();
    return HttpClientBuilder.create()
        .useSystemProperties()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(read).build())
            .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
            .build())
        .disableAutomaticRetries()
        .addExecInterceptorFirst("greenlight-timeouts", (request, scope, chain) -> {
          scope.clientContext.setRequestConfig(timeouts);
          return chain.proceed(request, scope);
        });
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
    Response response = super.makeRequest(copy);
    if (response.getStatusCode() == 429) {
      throw new RetryAfterException("Twilio rate-limited " + request.getMethod() + " " + original.getRawPath(),
          RetryAfterException.parse(header(response, "Retry-After")));
    }
    return response;
  }

  private static String header(Response response, String name) {
    Header[] headers = response.getHeaders();
    return headers == null ? null : Arrays.stream(headers).filter(header -> name.equalsIgnoreCase(header.getName()))
        .map(Header::getValue).findFirst().orElse(null);
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
