package io.greenlight.decision;

import io.greenlight.approval.ApprovalView;
import io.greenlight.security.CurrentCaller;
import jakarta.validation.Valid;
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
  ApprovalView decide(@PathVariable String id, @Valid @RequestBody DecisionBody body) {
    return decisions.decide(id, CurrentCaller.userId().orElseThrow(), body.decision(), body.comment(), API);
  }
}
