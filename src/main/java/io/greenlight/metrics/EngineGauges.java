package io.greenlight.metrics;

import static io.greenlight.approval.ApprovalVariables.PROCESS_KEY;
import static io.greenlight.approval.ApprovalVariables.REVIEW_PROCESS_KEY;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/** What the engine holds right now, read from its database at each scrape (a count query each). */
@Component
class EngineGauges implements MeterBinder {

  private final RuntimeService runtime;
  private final TaskService tasks;

  EngineGauges(RuntimeService runtime, TaskService tasks) {
    this.runtime = runtime;
    this.tasks = tasks;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(GreenlightMetrics.PENDING_REQUESTS,
            () -> runtime.createProcessInstanceQuery().processDefinitionKey(PROCESS_KEY).count())
        .description("Approval requests not yet ended").register(registry);
    Gauge.builder(GreenlightMetrics.OPEN_INCIDENTS, () -> runtime.createIncidentQuery().count())
        .description("Steps that failed after their last retry and wait for an admin (incidents in Cockpit)")
        .register(registry);
    Gauge.builder(GreenlightMetrics.OVERDUE_REVIEWS, () -> tasks.createTaskQuery().processDefinitionKey(REVIEW_PROCESS_KEY)
            .dueBefore(ClockUtil.getCurrentTime()).count())
        .description("Reviews of break-glass approvals past their due date (greenlight.freezes.review-within)")
        .register(registry);
  }
}
