package io.greenlight.approval;

/** The {@code status} of an approval request, as the REST API reports it. */
public enum ApprovalStatus {
  PENDING, APPROVED, REJECTED, EXPIRED,
  /** The gate was decided in CircleCI itself, or withdrawn. */
  CANCELLED,
  /** The gate could not be found, or CircleCI refused for good. */
  FAILED
}
