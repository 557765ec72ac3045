package io.greenlight.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.Decision;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One request of a period export: the columns of {@code audit.csv} and the fields of {@code audit.json}, in this order
 * (docs/audit.md, "Audit for a period"). Everything but {@code break_glass} is read off the request's API view, so the
 * export and {@code GET /api/approvals/{id}} cannot disagree. Times are ISO-8601 in UTC.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"id", "project_slug", "gate", "environment_or_job", "requested_by", "status", "approved_by", "rejected_by",
    "break_glass", "created_at", "ended_at", "history_url"})
record PeriodRow(String id, String projectSlug, String gate, String environmentOrJob, String requestedBy, String status,
                 String approvedBy, String rejectedBy, boolean breakGlass, String createdAt, String endedAt,
                 String historyUrl) {

  /**
   * The row of {@code approval}; {@code breakGlass}: whether a break-glass approval decided it. A GitHub gate's
   * environment and a CircleCI gate's approval job are the same field of the view.
   */
  static PeriodRow of(ApprovalView approval, boolean breakGlass) {
    return new PeriodRow(approval.id(), approval.projectSlug(), approval.gate().id(), approval.approvalJob(), approval.requestedBy(),
        approval.status().name(), whoAnswered(approval, Decision.APPROVE), whoAnswered(approval, Decision.REJECT), breakGlass,
        text(approval.createdAt()), text(approval.endedAt()), approval.links() == null ? null : approval.links().history());
  }

  /** The row as a spreadsheet may open it: every text cell that would run as a formula kept as text. */
  PeriodRow forSpreadsheet() {
    return new PeriodRow(AuditController.cell(id), AuditController.cell(projectSlug), AuditController.cell(gate),
        AuditController.cell(environmentOrJob), AuditController.cell(requestedBy), AuditController.cell(status),
        AuditController.cell(approvedBy), AuditController.cell(rejectedBy), breakGlass, createdAt, endedAt,
        AuditController.cell(historyUrl));
  }

  /** The users who gave {@code decision}, space-separated in the order they answered; empty when nobody did. */
  private static String whoAnswered(ApprovalView approval, String decision) {
    return approval.decisions().stream().filter(answer -> decision.equals(answer.decision())).map(Decision::user)
        .filter(Objects::nonNull).distinct().collect(Collectors.joining(" "));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
