package io.greenlight.circleci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One item of CircleCI's {@code GET /workflow/{id}/job} answer: the fields Greenlight reads. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CircleCiJob(
    String id,
    String name,
    String type,
    String status,
    @JsonProperty("approval_request_id") String approvalRequestId,
    @JsonProperty("project_slug") String projectSlug) {

  public boolean isApproval() {
    return "approval".equals(type);
  }

  public boolean isOnHold() {
    return "on_hold".equals(status);
  }
}
