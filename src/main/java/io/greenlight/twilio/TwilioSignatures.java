package io.greenlight.twilio;

import io.greenlight.approval.PublicLinks;
import com.twilio.security.RequestValidator;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code X-Twilio-Signature} with the SDK's {@link RequestValidator}: against the URL Twilio was
 * given ({@code greenlight.public-base-url} + path + query, whatever proxy sits in between) and the posted
 * form parameters. Without an auth token nothing is valid.
 */
public class TwilioSignatures {

  public static final String HEADER = "X-Twilio-Signature";

  private final RequestValidator validator;
  private final PublicLinks links;

  public TwilioSignatures(String authToken, PublicLinks links) {
    this.validator = authToken == null || authToken.isBlank() ? null : new RequestValidator(authToken);
    this.links = links;
  }

  public boolean valid(HttpServletRequest request) {
    String signature = request.getHeader(HEADER);
    if (validator == null || signature == null || signature.isBlank()) {
      return false;
    }
    String url = links.of(request.getRequestURI()) + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    return validator.validate(url, postedParameters(request), signature);
  }

  /** The servlet mixes query and form parameters; the signature covers the form ones (the query is in the URL). */
  static Map<String, String> postedParameters(HttpServletRequest request) {
    Map<String, String> posted = new HashMap<>();
    postedValues(request).forEach((name, values) -> posted.put(name, values.get(0)));
    return posted;
  }

  /** Every value of each form field, the query's taken out. */
  static Map<String, List<String>> postedValues(HttpServletRequest request) {
    Map<String, List<String>> fromQuery = new HashMap<>();
    if (request.getQueryString() != null) {
      for (String pair : request.getQueryString().split("&")) {
        String[] nameAndValue = pair.split("=", 2);
        fromQuery.computeIfAbsent(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8), name -> new ArrayList<>())
            .add(nameAndValue.length > 1 ? URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8) : "");
      }
    }
    Map<String, List<String>> posted = new HashMap<>();
    request.getParameterMap().forEach((name, values) -> {
      List<String> remaining = new ArrayList<>(Arrays.asList(values));
      fromQuery.getOrDefault(name, List.of()).forEach(remaining::remove);
      if (!remaining.isEmpty()) {
        posted.put(name, remaining);
      }
    });
    return posted;
  }
}
