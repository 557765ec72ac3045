package io.greenlight.intake;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.greenlight.approval.ApprovalView;
import io.greenlight.directory.ApiClientAccess;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/inbound/xmatters?apiKey=}: a team already using the xMatters orb switches by pointing
 * {@code XM_URL} here. The orb's payload is mapped onto an ordinary approval request.
 */
@RestController
@Tag(name = "CI pipelines")
class XMattersController {

  /** app.circleci.com/pipelines/github/acme/shop/…, or the older circleci.com/gh/acme/shop/…. */
  private static final Pattern BUILD_URL_PROJECT = Pattern.compile(
      "^https?://[^/]+/(?:pipelines/)?(github|gh|bitbucket|bb|circleci)/([^/?#]+)/([^/?#]+)");

  private final Intake intake;
  private final Validator validator;

  XMattersController(Intake intake, Validator validator) {
    this.intake = intake;
    this.validator = validator;
  }

  @ApiResponse(responseCode = "201", description = "A new request; Location names it")
  @ApiResponse(responseCode = "200", description = "The same gate is asked again while pending: the existing request")
  @Parameter(name = "apiKey", in = ParameterIn.QUERY, required = true, description = "The CI key (the orb cannot send headers)")
  @Operation(operationId = "requestApprovalFromXMatters", summary = "The xMatters CircleCI orb's notify payload, unchanged",
      description = "Point the orb's XM_URL here with ?apiKey=<key>. The project slug is read from build_url; recipients (top level, "
          + "or inside properties) names who is asked: directory groups and/or users, comma- or space-separated; without it the "
          + "routing table decides. The orb ignores the answer, so a request nobody can approve is started and ends FAILED at once, "
          + "with its workflow cancelled.",
      security = @SecurityRequirement(name = "apiKey"))
  @PostMapping(path = "/api/inbound/xmatters", consumes = "application/json", produces = "application/json")
  ResponseEntity<ApprovalView> notify(@Valid @RequestBody XMattersNotification notification) {
    XMattersNotification.Properties orb = notification.properties();
    if (orb.workflow_id() == null || orb.workflow_id().isBlank()) {
      // The body's own check would name the API's field; the orb's user knows it by the orb's name.
      throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field", "properties.workflow_id",
          "Field properties.workflow_id is required.");
    }
    ApprovalRequest request = new ApprovalRequest(
        projectSlugOf(orb.build_url()), orb.workflow_id(), null, null, null, orb.author(), orb.branch(), orb.commit(),
        orb.build_url(), notification.namedRecipients(), null);
    Set<ConstraintViolation<ApprovalRequest>> violations = validator.validate(request);
    if (!violations.isEmpty()) {
      ConstraintViolation<ApprovalRequest> first = violations.stream()
          .min(Comparator.comparing(violation -> violation.getPropertyPath().toString())).orElseThrow();
      String field = orbField(first.getPropertyPath().toString(), notification);
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", field, "Field " + field + " " + first.getMessage() + ".");
    }
    ApiClientAccess client = CurrentCaller.apiClient().orElseThrow();
    return IntakeController.answer(intake.request(request, client, Intake.XMATTERS), intake, client);
  }

  static String projectSlugOf(String buildUrl) {
    if (buildUrl == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field", "properties.build_url",
          "Field properties.build_url is required: the project is read from it.");
    }
    Matcher matcher = BUILD_URL_PROJECT.matcher(buildUrl);
    if (!matcher.find()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", "properties.build_url",
          "Field properties.build_url is not a CircleCI build URL; the project cannot be read from it.");
    }
    String vcs = switch (matcher.group(1)) {
      case "github" -> "gh";
      case "bitbucket" -> "bb";
      default -> matcher.group(1);
    };
    return vcs + "/" + matcher.group(2) + "/" + matcher.group(3);
  }

  private static String orbField(String requestField, XMattersNotification notification) {
    return switch (requestField) {
      case "workflowId" -> "properties.workflow_id";
      case "requestedBy" -> "properties.author";
      case "buildUrl" -> "properties.build_url";
      case "approverGroup" -> notification.recipients() != null ? "recipients" : "properties.recipients";
      case "projectSlug" -> "properties.build_url";
      default -> "properties." + requestField;
    };
  }
}
