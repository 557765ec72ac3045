package io.greenlight.decision;

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
class DecisionController {

  static final String API = "api";

  private final Decisions decisions;

  DecisionController(Decisions decisions) {
    this.decisions = decisions;
  }

  @PostMapping(path = "/api/approvals/{id}/decision", consumes = "application/json", produces = "application/json")
  ApprovalView decide(@PathVariable @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String id,
                      @Valid @RequestBody DecisionBody body) {
    return decisions.decide(id, CurrentCaller.userId().orElseThrow(), body.decision(), body.comment(), API);
  }
}
