package io.greenlight.answer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code greenlight.approvals.*}: with {@code authors-may-approve} false (the default), someone whose directory
 * {@code logins} include the GitHub author or committer of a commit being deployed cannot approve it, as the requester
 * cannot ({@code authored_change}).
 */
@ConfigurationProperties("greenlight.approvals")
public record ApprovalsProperties(boolean authorsMayApprove) {}
