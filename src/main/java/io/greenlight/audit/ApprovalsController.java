package io.greenlight.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.greenlight.approval.ApprovalView;
import io.greenlight.directory.ApiClientAccess;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/approvals/{id}} and {@code GET /api/approvals}. A CI pipeline sees the requests of the
 * projects its key covers; a directory user sees all. {@code from} and {@code to} bound when requests were made: a
 * day ({@code 2026-11-03}, UTC, {@code to} includes that day) or an instant ({@code 2026-11-03T09:00:00Z}, {@code to}
 * excluded).
 */
@RestController
@Tag(name = "Requests")
class ApprovalsController {

  private final Approvals approvals;

  ApprovalsController(Approvals approvals) {
    this.approvals = approvals;
  }

  @Operation(operationId = "getApproval", summary = "One request: status, who was asked, who decided, what CircleCI answered, its timeline",
      security = {@SecurityRequirement(name = "apiKey"), @SecurityRequirement(name = "directoryUser")})
  @GetMapping(path = "/api/approvals/{id}", produces = "application/json")
  ApprovalView one(@PathVariable @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String id) {
    Optional<ApiClientAccess> client = CurrentCaller.apiClient();
    return approvals.findWithTimeline(id, client.isPresent() ? Approvals.Reader.PIPELINE : Approvals.Reader.PERSON)
        .filter(approval -> client.map(c -> c.mayRequest(approval.projectSlug())).orElse(true))
        .map(this::asTheCallerMaySee)
        .orElseThrow(() -> ApiException.notFound("Approval request " + id));
  }

  @Operation(operationId = "listApprovals", summary = "Requests, newest first, filtered",
      description = "from/to: a UTC day (2026-11-03; 'to' includes it) or an instant (to excluded), on when the request was made. "
          + "decided_by: requests that user answered. An API key sees its projects only.",
      security = {@SecurityRequirement(name = "apiKey"), @SecurityRequirement(name = "directoryUser")})
  @GetMapping(path = "/api/approvals", produces = "application/json")
  List<ApprovalView> list(@RequestParam(required = false) String status,
                          @RequestParam(name = "project_slug", required = false)
                          @Pattern(regexp = Formats.PROJECT_SLUG, message = "must be a CircleCI project slug such as gh/acme/shop")
                          String projectSlug,
                          @RequestParam(name = "decided_by", required = false)
                          @Pattern(regexp = Formats.DIRECTORY_ID, message = "must be a directory user id")
                          String decidedBy,
                          @RequestParam(required = false) String from,
                          @RequestParam(required = false) String to,
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
    return approvals.list(Approvals.Filter.parse(status, projectSlug, decidedBy, from, to), limit,
        slug -> client.map(c -> c.mayRequest(slug)).orElse(true)).stream().map(this::asTheCallerMaySee).toList();
  }

  private ApprovalView asTheCallerMaySee(ApprovalView approval) {
    return approvals.asTheCallerMaySee(approval);
  }
}
