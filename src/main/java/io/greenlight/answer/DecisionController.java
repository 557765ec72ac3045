package io.greenlight.answer;

import io.greenlight.answer.Answer.Action;
import io.greenlight.answer.Answer.Answerer;
import io.greenlight.answer.Answer.RequestRef;
import io.greenlight.approval.ApprovalView;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/approvals/{id}/decision}: an approver answers through the API (HTTP Basic). Reads the body into an
 * {@link Answer} and renders the {@link Outcome}: the request as it stands, or the refusal as an error with a status.
 */
@RestController
@Tag(name = "Approvers")
class DecisionController {

  static final String API = "api";

  private final Answering answering;

  DecisionController(Answering answering) {
    this.answering = answering;
  }

  @Operation(operationId = "decide", summary = "Approve, reject or escalate as the signed-in approver",
      description = "decision: approve, reject (a comment is required) or escalate (ask the next level now). Refused answers "
          + "(not an approver, own deployment, already decided) answer 4xx with the refusal's code and are recorded in the timeline.",
      security = @SecurityRequirement(name = "directoryUser"))
  @PostMapping(path = "/api/approvals/{id}/decision", consumes = "application/json", produces = "application/json")
  ApprovalView decide(@PathVariable @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String id,
                      @Valid @RequestBody DecisionBody body) {
    Action action = switch (body.decision().trim().toLowerCase()) {
      case "approve" -> Action.APPROVE;
      case "reject" -> Action.REJECT;
      case "escalate" -> Action.ESCALATE;
      default -> throw error(Refusal.invalidDecision());
    };
    Outcome outcome = answering.take(new Answer(Answerer.user(CurrentCaller.userId().orElseThrow()), RequestRef.id(id), action,
        body.comment(), API));
    if (outcome instanceof Outcome.Refused refused) {
      throw error(refused.refusal());
    }
    return outcome.approval();
  }

  static ApiException error(Refusal refusal) {
    HttpStatus status = switch (refusal.code()) {
      case Refusals.NOT_AN_APPROVER, Refusals.OWN_DEPLOYMENT, Refusals.AUTHORED_CHANGE, Refusals.UNKNOWN_PERSON -> HttpStatus.FORBIDDEN;
      case Refusals.ALREADY_APPROVED, Refusals.ALREADY_DECIDED, Refusals.EXPIRED, Refusals.NOT_READY, Refusals.FROZEN ->
          HttpStatus.CONFLICT;
      case Refusals.TOO_MANY_REFUSED_ANSWERS -> HttpStatus.TOO_MANY_REQUESTS;
      case Refusals.UNKNOWN_REQUEST -> HttpStatus.NOT_FOUND;
      default -> HttpStatus.BAD_REQUEST;
    };
    return new ApiException(status, refusal.code(), refusal.field(), refusal.message());
  }
}
