package io.greenlight.decision;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.greenlight.approval.ApprovalView;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.Formats;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/approvals/{id}/decision}: an approver answers through the API (HTTP Basic). */
@RestController
@Tag(name = "Approvers")
class DecisionController {

  static final String API = "api";

  private final Decisions decisions;

  DecisionController(Decisions decisions) {
    this.decisions = decisions;
  }

  @Operation(operationId = "decide", summary = "Approve or reject as the signed-in approver",
      description = "A comment is required to reject. Refused answers (not an approver, own deployment, already decided) are recorded in the timeline.",
      security = @SecurityRequirement(name = "directoryUser"))
  @PostMapping(path = "/api/approvals/{id}/decision", consumes = "application/json", produces = "application/json")
  ApprovalView decide(@PathVariable @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String id,
                      @Valid @RequestBody DecisionBody body) {
    return decisions.decide(id, CurrentCaller.userId().orElseThrow(), body.decision(), body.comment(), API);
  }
}
