package io.greenlight.approval;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code greenlight.public-base-url}: the address the outside world (Twilio, approvers' links) reaches this server at,
 * without a trailing slash, and every link Greenlight hands out, built from it in this one place.
 */
@ConfigurationProperties("greenlight")
public record PublicLinks(String publicBaseUrl) {

  public PublicLinks {
    if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
      throw new IllegalArgumentException("greenlight.public-base-url must be set: the URL Twilio and approvers reach Greenlight at");
    }
    publicBaseUrl = publicBaseUrl.trim().replaceAll("/+$", "");
  }

  /** This server's address of {@code path} (which starts with a slash). */
  public String of(String path) {
    return publicBaseUrl + path;
  }

  /** Tasklist, opened on the request's decision task when it has one. */
  public String tasklist(String taskId) {
    return of("/camunda/app/tasklist/default/" + (taskId == null ? "" : "#/?task=" + taskId));
  }

  public String cockpit(String requestId) {
    return of("/camunda/app/cockpit/default/#/process-instance/" + requestId);
  }

  public String history(String requestId) {
    return of("/history/" + requestId);
  }

  public String api(String requestId) {
    return of("/api/approvals/" + requestId);
  }
}
