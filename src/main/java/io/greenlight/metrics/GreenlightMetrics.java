package io.greenlight.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Greenlight's own meters, at {@code /actuator/prometheus} (docs/monitoring.md lists them). They go to Micrometer's
 * global registry, which Spring Boot joins to its own, so the engine's delegates and static helpers count without
 * wiring. What happens inside an engine transaction is counted once it commits: a job that fails and is retried
 * counts when it succeeds.
 */
public final class GreenlightMetrics {

  public static final String REQUESTS_STARTED = "greenlight.requests.started";
  public static final String REQUESTS_ENDED = "greenlight.requests.ended";
  public static final String TIME_TO_DECISION = "greenlight.decision.time";
  public static final String NOTIFICATIONS = "greenlight.notifications";
  public static final String CIRCLECI_CALLS = "greenlight.circleci.calls";
  public static final String TWILIO_CALLS = "greenlight.twilio.calls";
  public static final String SLACK_CALLS = "greenlight.slack.calls";
  public static final String GITHUB_CALLS = "greenlight.github.calls";
  public static final String PENDING_REQUESTS = "greenlight.requests.pending";
  public static final String OPEN_INCIDENTS = "greenlight.incidents.open";
  /** Reviews of break-glass approvals still open past their due date. */
  public static final String OVERDUE_REVIEWS = "greenlight.reviews.overdue";

  /** How a call to CircleCI or Twilio ended: {@code ok}, {@code http_4xx}, {@code http_5xx}, {@code rate_limited}, {@code unreachable}. */
  public static final String OK = "ok";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String UNREACHABLE = "unreachable";

  private GreenlightMetrics() {}

  private static MeterRegistry registry() {
    return Metrics.globalRegistry;
  }

  /**
   * A request was made (a new one, not the same gate asked again), through {@code channel} ({@code api},
   * {@code xmatters}, {@code github}), for a gate of kind {@code gate} ({@code circleci}, {@code github}).
   */
  public static void requestStarted(String channel, String gate) {
    afterCommit(() -> Counter.builder(REQUESTS_STARTED).description("Approval requests made")
        .tag("channel", channel == null ? "api" : channel).tag("gate", gate).register(registry()).increment());
  }

  /**
   * A request ended with {@code outcome}; {@code timeToDecision} from the request to the deciding answer, if answered;
   * {@code rules}: how many rules it had to meet (0: never routed); {@code changeKnown}: whether the change it deployed was.
   */
  public static void requestEnded(String outcome, String gate, Duration timeToDecision, int rules, boolean changeKnown) {
    afterCommit(() -> {
      Counter.builder(REQUESTS_ENDED).description("Approval requests ended, by outcome").tag("outcome", outcome)
          .tag("gate", gate).tag("rules", String.valueOf(rules)).tag("changes", changeKnown ? "known" : "unknown")
          .register(registry()).increment();
      if (timeToDecision != null) {
        Timer.builder(TIME_TO_DECISION).description("From the request to the answer that decided it")
            .tag("outcome", outcome).tag("gate", gate)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(24))
            .register(registry()).record(timeToDecision);
      }
    });
  }

  /** A message to an approver or requester reached {@code status} ({@code queued}, {@code delivered}, {@code failed}, …). */
  public static void notification(String channel, String status) {
    afterCommit(() -> Counter.builder(NOTIFICATIONS).description("Notifications, by channel and status")
        .tag("channel", channel).tag("status", status == null ? "unknown" : status).register(registry()).increment());
  }

  public static void circleCiCall(String operation, String outcome, Duration took) {
    call(CIRCLECI_CALLS, "Calls to CircleCI's API", operation, outcome, took);
  }

  public static void twilioCall(String operation, String outcome, Duration took) {
    call(TWILIO_CALLS, "Calls to Twilio's API", operation, outcome, took);
  }

  public static void slackCall(String operation, String outcome, Duration took) {
    call(SLACK_CALLS, "Calls to Slack's Web API", operation, outcome, took);
  }

  public static void gitHubCall(String operation, String outcome, Duration took) {
    call(GITHUB_CALLS, "Calls to GitHub's API", operation, outcome, took);
  }

  /** The outcome tag for an HTTP status. */
  public static String outcomeOf(int status) {
    return status == 429 ? RATE_LIMITED : status >= 500 ? "http_5xx" : status >= 400 ? "http_4xx" : OK;
  }

  /**
   * A call to another system's API, timed under {@code name} ({@code greenlight.<system>.calls}) by operation and
   * outcome: for a gate kind's package, which names its own metric.
   */
  public static void call(String name, String description, String operation, String outcome, Duration took) {
    Timer.builder(name).description(description).tag("operation", operation).tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry()).record(took);
  }

  /** Inside an engine command or a Spring transaction: once it commits; outside both: now. */
  private static void afterCommit(Runnable count) {
    CommandContext context = Context.getCommandContext();
    if (context != null) {
      context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, committed -> count.run());
    } else if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          count.run();
        }
      });
    } else {
      count.run();
    }
  }
}
