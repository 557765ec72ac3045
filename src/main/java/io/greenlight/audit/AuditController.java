package io.greenlight.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.greenlight.approval.ApprovalView;
import io.greenlight.directory.ApiClientAccess;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditors' export of one request: {@code GET /api/approvals/{id}/audit.csv} (a row per timeline entry, with
 * the request's identity on every row, ready for a spreadsheet) and {@code ?format=json} (the request with its
 * timeline, as {@code GET /api/approvals/{id}} shows it).
 */
@RestController
@Tag(name = "Requests")
class AuditController {

  static final MediaType CSV = new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8);

  /** One row of the CSV. */
  @com.fasterxml.jackson.annotation.JsonPropertyOrder({"request_id", "project_slug", "workflow_id", "approval_job", "status",
      "at", "event", "user", "channel", "detail"})
  record Row(String request_id, String project_slug, String workflow_id, String approval_job, String status, String at,
             String event, String user, String channel, String detail) {}

  private static final CsvMapper CSV_MAPPER = new CsvMapper();
  private static final ObjectWriter CSV_WRITER =
      CSV_MAPPER.writer(CSV_MAPPER.schemaFor(Row.class).withHeader().withLineSeparator("\r\n"));

  private final Approvals approvals;

  AuditController(Approvals approvals) {
    this.approvals = approvals;
  }

  @Operation(operationId = "exportAuditCsv", summary = "One request's timeline as CSV, for auditors (format=json: as JSON)",
      security = {@SecurityRequirement(name = "apiKey"), @SecurityRequirement(name = "directoryUser")})
  @GetMapping(path = "/api/approvals/{id}/audit.csv", produces = {"text/csv", "application/json"})
  ResponseEntity<?> auditCsv(@PathVariable @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String id,
                             @RequestParam(required = false) String format) {
    return audit(id, format == null ? "csv" : format);
  }

  @Operation(operationId = "exportAudit", summary = "One request with its timeline as JSON, for auditors (format=csv: as CSV)",
      security = {@SecurityRequirement(name = "apiKey"), @SecurityRequirement(name = "directoryUser")})
  @GetMapping(path = "/api/approvals/{id}/audit", produces = {"application/json", "text/csv"})
  ResponseEntity<?> auditJson(@PathVariable @Pattern(regexp = Formats.UUID, message = "must be a request id (a UUID)") String id,
                              @RequestParam(required = false) String format) {
    return audit(id, format == null ? "json" : format);
  }

  private ResponseEntity<?> audit(String id, String format) {
    boolean csv = switch (format.trim().toLowerCase()) {
      case "csv" -> true;
      case "json" -> false;
      default -> throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", "format", "format must be csv or json.");
    };
    Optional<ApiClientAccess> client = CurrentCaller.apiClient();
    ApprovalView approval = approvals.findWithTimeline(id, client.isPresent() ? Approvals.Reader.PIPELINE : Approvals.Reader.PERSON)
        .filter(found -> client.map(c -> c.mayRequest(found.projectSlug())).orElse(true))
        .map(approvals::asTheCallerMaySee)
        .orElseThrow(() -> ApiException.notFound("Approval request " + id));
    if (!csv) {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(approval);
    }
    return ResponseEntity.ok()
        .contentType(CSV)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"greenlight-" + id + ".csv\"")
        .body(csvOf(approval));
  }

  static String csvOf(ApprovalView approval) {
    List<Row> rows = approval.timeline().stream().map(entry -> new Row(approval.id(), cell(approval.projectSlug()),
        approval.workflowId(), cell(approval.approvalJob()), approval.status().name(),
        entry.at() == null ? null : entry.at().toString(), entry.event(), cell(entry.user()), cell(entry.channel()),
        cell(entry.detail()))).toList();
    try {
      return CSV_WRITER.writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Comments and names come from people; a cell a spreadsheet would run as a formula (=, +, -, @, tab, return at the
   * start) is kept as text with a leading apostrophe.
   */
  static String cell(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    char first = text.charAt(0);
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : text;
  }
}
