package io.greenlight.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * What the xMatters CircleCI orb's {@code notify} command posts, unchanged: {@code {"properties": {...}}}.
 * All values arrive as strings from the orb's environment variables.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record XMattersNotification(@NotNull(message = "is required") @Valid Properties properties) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Properties(
      String author,
      String project,
      String workflow_id,
      String branch,
      String commit,
      String build,
      String build_url,
      String job,
      String recipients,
      String job_status) {}
}
