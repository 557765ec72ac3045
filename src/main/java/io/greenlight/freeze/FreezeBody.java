package io.greenlight.freeze;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.greenlight.web.ApiException;
import io.greenlight.web.SafeText;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;

/**
 * The body of {@code POST /api/freezes}. The times are text, read by the controller, so that a time that is none is
 * answered in words; a field this body does not have is refused rather than ignored (a misspelt {@code ends_at} must not
 * become a freeze without an end).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public class FreezeBody {

  @Schema(description = "A glob over project slugs: * within a path segment, ** across; * alone (the default) is every project",
      example = "gh/acme/*")
  @Pattern(regexp = Freeze.PROJECTS_GLOB,
      message = "must be a glob over project slugs such as gh/acme/* or gh/acme/** (letters, digits, '.', '_', '-', '/' and '*'; leave it out for every project)")
  private String projects;

  @Schema(description = "ISO-8601 instant; default now, and may lie in the past", format = "date-time")
  private String startsAt;

  @Schema(description = "ISO-8601 instant, after starts_at and after now", format = "date-time",
      requiredMode = Schema.RequiredMode.REQUIRED)
  @NotBlank(message = "is required")
  private String endsAt;

  @Schema(description = "Why deploys are frozen: approvers are told", requiredMode = Schema.RequiredMode.REQUIRED)
  @NotBlank(message = "is required")
  @Size(max = Freeze.LONGEST_REASON, message = "must be at most " + Freeze.LONGEST_REASON + " characters")
  @Pattern(regexp = SafeText.LINES, message = "must be text without control characters")
  private String reason;

  public String getProjects() {
    return projects;
  }

  public void setProjects(String projects) {
    this.projects = projects;
  }

  public String getStartsAt() {
    return startsAt;
  }

  public void setStartsAt(String startsAt) {
    this.startsAt = startsAt;
  }

  public String getEndsAt() {
    return endsAt;
  }

  public void setEndsAt(String endsAt) {
    this.endsAt = endsAt;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  /** A field this body does not have: refused before anything else is looked at. */
  @JsonAnySetter
  void refuseUnknownField(String name, Object value) {
    throw new ApiException(HttpStatus.BAD_REQUEST, "unknown_field", name,
        "Field " + name + " is not part of a freeze: send projects, starts_at, ends_at and reason.");
  }
}
