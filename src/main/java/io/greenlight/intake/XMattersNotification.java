package io.greenlight.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/**
 * What the xMatters CircleCI orbs' {@code notify} command posts, unchanged. All values arrive as strings from the job's
 * environment. v1 ({@code xmatters/xmatters-orb}) sends {@code {"properties": {...}}} and names no recipients; v2
 * ({@code xmatters/xmatters-orb-v2}) adds {@code "recipients"} at the top level — one superseded v2 commit sent it
 * inside {@code properties}, which is read too.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record XMattersNotification(String recipients, @NotNull(message = "is required") @Valid Properties properties) {

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

  /** Who the orb names (a comma-separated list of groups and users), wherever that orb version put it; null for none. */
  public String namedRecipients() {
    if (recipients != null && !recipients.isBlank()) {
      return recipients;
    }
    return properties.recipients() == null || properties.recipients().isBlank() ? null : properties.recipients();
  }
}
