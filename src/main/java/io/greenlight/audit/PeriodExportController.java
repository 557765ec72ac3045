package io.greenlight.audit;

import io.greenlight.directory.Directory;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditors' export of a period: {@code GET /api/audit.csv} and {@code GET /api/audit.json}, a row per request made
 * in it (docs/audit.md, "Audit for a period"). For admins and the directory group {@value #AUDITORS}, by HTTP Basic.
 * The answer is written as the history is read, a page of requests at a time, straight to the response.
 */
@RestController
@Tag(name = "Requests")
class PeriodExportController {

  static final String AUDITORS = "auditors";
  static final String TIME_ZONE_HEADER = "X-Greenlight-Time-Zone";

  private static final Logger log = LoggerFactory.getLogger(PeriodExportController.class);
  private static final String PARAMETERS = "from, to: UTC days (2026-11-01), both included, at most "
      + AuditPeriod.MOST_DAYS + " days. project: a glob over project slugs (gh/acme/*; ** across segments). "
      + "For admins and members of the directory group auditors. Times are UTC (header X-Greenlight-Time-Zone: UTC).";

  private final PeriodExport export;
  private final Directory directory;

  PeriodExportController(PeriodExport export, Directory directory) {
    this.export = export;
    this.directory = directory;
  }

  /** How a format begins on the response. */
  private interface Opening {
    PeriodExport.Format open(OutputStream out) throws IOException;
  }

  // from and to are required, but checked by hand: whoever may not export is refused (403) before their parameters are read.
  @Operation(operationId = "exportPeriodCsv", summary = "Every request made in a period, one CSV row each, oldest first",
      description = PARAMETERS, security = @SecurityRequirement(name = "directoryUser"))
  @ApiResponse(responseCode = "200", description = "CSV, streamed",
      headers = @Header(name = TIME_ZONE_HEADER, schema = @Schema(type = "string", example = "UTC")),
      content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
  // application/json too: a refusal is answered in the API's JSON error shape.
  @GetMapping(path = "/api/audit.csv", produces = {"text/csv", "application/json"})
  void csv(@Parameter(required = true, example = "2026-11-01") @RequestParam(required = false) String from,
           @Parameter(required = true, example = "2026-11-30") @RequestParam(required = false) String to,
           @Parameter(example = "gh/acme/*") @RequestParam(required = false) String project,
           HttpServletResponse response) throws IOException {
    stream(from, to, project, AuditController.CSV, "csv", PeriodCsv::new, response);
  }

  @Operation(operationId = "exportPeriodJson", summary = "Every request made in a period as a JSON array, oldest first",
      description = PARAMETERS, security = @SecurityRequirement(name = "directoryUser"))
  @ApiResponse(responseCode = "200", description = "A JSON array, streamed",
      headers = @Header(name = TIME_ZONE_HEADER, schema = @Schema(type = "string", example = "UTC")),
      content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = PeriodRow.class))))
  @GetMapping(path = "/api/audit.json", produces = "application/json")
  void json(@Parameter(required = true, example = "2026-11-01") @RequestParam(required = false) String from,
            @Parameter(required = true, example = "2026-11-30") @RequestParam(required = false) String to,
            @Parameter(example = "gh/acme/*") @RequestParam(required = false) String project,
            HttpServletResponse response) throws IOException {
    stream(from, to, project, MediaType.APPLICATION_JSON, "json", PeriodJson::new, response);
  }

  private void stream(String from, String to, String project, MediaType type, String extension, Opening opening,
                      HttpServletResponse response) throws IOException {
    requireAuditor();
    AuditPeriod period = AuditPeriod.parse(from, to, project);
    response.setContentType(type.toString());
    response.setHeader(TIME_ZONE_HEADER, "UTC");
    response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"greenlight-audit-" + period.from() + "-to-"
        + period.to() + "." + extension + "\"");
    try {
      PeriodExport.Format format = opening.open(response.getOutputStream());
      export.export(period, format);
      // Closed only when complete: closing ends the JSON array, and a cut-off export must not look whole.
      format.close();
    } catch (IOException | RuntimeException failed) {
      if (!response.isCommitted()) {
        // Nothing has left yet: the client gets the usual error answer instead, without this answer's headers.
        response.reset();
        throw failed;
      }
      throw new ExportCutOff(period, failed);
    }
  }

  /**
   * Admins and auditors only: the export shows every project's requests. An API key is refused before this (security
   * lets only directory users through), so the caller is a person.
   */
  private void requireAuditor() {
    boolean auditor = CurrentCaller.isAdmin() || CurrentCaller.userId().map(user -> directory.isMember(user, AUDITORS)).orElse(false);
    if (!auditor) {
      throw new ApiException(HttpStatus.FORBIDDEN, "forbidden", null,
          "Only admins and members of the directory group " + AUDITORS + " may export a period.");
    }
  }

  /** A failure after part of the export was sent: too late for an error answer. */
  static final class ExportCutOff extends RuntimeException {
    ExportCutOff(AuditPeriod period, Exception cause) {
      super("The export of " + period.from() + " to " + period.to() + " failed after part of it was sent", cause);
    }
  }

  /**
   * Rethrown past the API's error handler, which would append an error to rows already sent, to the server, which
   * then closes the connection without ending the answer: the client sees the export is incomplete (curl: "transfer
   * closed with outstanding read data remaining") rather than a shorter one that looks whole.
   */
  @ExceptionHandler(ExportCutOff.class)
  void cutOff(ExportCutOff cutOff) {
    // One line: the server logs the failure itself as it closes the connection.
    log.warn("{}: the connection is closed unfinished ({})", cutOff.getMessage(), cutOff.getCause().toString());
    throw cutOff;
  }
}
