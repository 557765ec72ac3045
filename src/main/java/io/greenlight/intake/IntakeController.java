package io.greenlight.intake;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.greenlight.approval.ApprovalView;
import io.greenlight.directory.ApiClientAccess;
import io.greenlight.security.CurrentCaller;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/approvals}: a pipeline asks for approval of the gate it waits at. */
@RestController
@Tag(name = "CI pipelines")
class IntakeController {

  private final Intake intake;

  IntakeController(Intake intake) {
    this.intake = intake;
  }

  @ApiResponse(responseCode = "201", description = "A new request; Location names it")
  @ApiResponse(responseCode = "200", description = "The same gate is asked again while pending: the existing request")
  @Operation(operationId = "requestApproval", summary = "Ask for approval of the gate a pipeline waits at",
      description = "201 with the new request; 200 with the pending one when the same gate is asked again. approver_group names "
          + "one directory group, or several groups and/or users separated by commas or spaces, all asked at once. 422 when "
          + "nobody could approve: an approver named (or routed to) that the directory does not know, or nobody but the requester.",
      security = @SecurityRequirement(name = "apiKey"))
  @PostMapping(path = "/api/approvals", consumes = "application/json", produces = "application/json")
  ResponseEntity<ApprovalView> request(@Valid @RequestBody ApprovalRequest request) {
    ApiClientAccess client = CurrentCaller.apiClient().orElseThrow();
    return answer(intake.request(request, client, Intake.API), intake, client);
  }

  /** The new request (201), or the pending one of the same gate (200: its SMS code only to the client that asked for it). */
  static ResponseEntity<ApprovalView> answer(Intake.Outcome outcome, Intake intake, ApiClientAccess client) {
    ApprovalView approval = intake.asAnsweredTo(outcome, client);
    return outcome.created()
        ? ResponseEntity.created(URI.create("/api/approvals/" + approval.id())).body(approval)
        : ResponseEntity.ok().location(URI.create("/api/approvals/" + approval.id())).body(approval);
  }
}
