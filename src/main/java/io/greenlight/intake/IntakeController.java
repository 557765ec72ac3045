package io.greenlight.intake;

import io.greenlight.approval.ApprovalView;
import io.greenlight.security.CurrentCaller;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/approvals}: a pipeline asks for approval of the gate it waits at. */
@RestController
class IntakeController {

  static final String API = "api";

  private final Intake intake;

  IntakeController(Intake intake) {
    this.intake = intake;
  }

  @PostMapping(path = "/api/approvals", consumes = "application/json", produces = "application/json")
  ResponseEntity<ApprovalView> request(@Valid @RequestBody ApprovalRequest request) {
    return answer(intake.request(request, CurrentCaller.apiClient().orElseThrow(), API));
  }

  static ResponseEntity<ApprovalView> answer(Intake.Outcome outcome) {
    return outcome.created()
        ? ResponseEntity.created(URI.create("/api/approvals/" + outcome.approval().id())).body(outcome.approval())
        : ResponseEntity.ok().location(URI.create("/api/approvals/" + outcome.approval().id())).body(outcome.approval());
  }
}
