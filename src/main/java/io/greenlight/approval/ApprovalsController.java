package io.greenlight.approval;

import io.greenlight.directory.ApiClientAccess;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import jakarta.validation.constraints.Pattern;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/approvals/{id}} and {@code GET /api/approvals}. A CI pipeline sees the requests of the
 * projects its key covers; a directory user sees all.
 */
@RestController
class ApprovalsController {

  private final Approvals approvals;

  ApprovalsController(Approvals approvals) {
    this.approvals = approvals;
  }

  @GetMapping(path = "/api/approvals/{id}", produces = "application/json")
  ApprovalView one(@PathVariable @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String id) {
    Optional<ApiClientAccess> client = CurrentCaller.apiClient();
    return approvals.find(id)
        .filter(approval -> client.map(c -> c.mayRequest(approval.projectSlug())).orElse(true))
        .orElseThrow(() -> ApiException.notFound("Approval request " + id));
  }

  @GetMapping(path = "/api/approvals", produces = "application/json")
  List<ApprovalView> list(@RequestParam(required = false) String status,
                          @RequestParam(name = "project_slug", required = false)
                          @Pattern(regexp = Formats.PROJECT_SLUG, message = "must be a CircleCI project slug such as gh/acme/shop")
                          String projectSlug,
                          @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > Approvals.MOST_LISTED) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", "limit",
          "limit must be between 1 and " + Approvals.MOST_LISTED + ".");
    }
    Optional<ApiClientAccess> client = CurrentCaller.apiClient();
    if (projectSlug != null && client.isPresent() && !client.get().mayRequest(projectSlug)) {
      throw new ApiException(HttpStatus.FORBIDDEN, "project_not_allowed", "project_slug",
          "This API key may not read requests of " + projectSlug + ".");
    }
    return approvals.list(parseStatus(status), projectSlug, limit,
        slug -> client.map(c -> c.mayRequest(slug)).orElse(true));
  }

  private static ApprovalStatus parseStatus(String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return ApprovalStatus.valueOf(status.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", "status",
          "status must be one of " + Arrays.toString(ApprovalStatus.values()) + ".");
    }
  }
}
