package io.greenlight.engine;

import java.util.Date;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/**
 * The engine's own retry handling (the task's {@code failedJobRetryTimeCycle}, retries counted down, an
 * incident after the last), except that a job failed by a {@link RetryAfterException} is not retried
 * before the other system said it may be.
 */
public class RetryAfterJobRetryCmd extends DefaultJobRetryCmd {

  public RetryAfterJobRetryCmd(String jobId, Throwable exception) {
    super(jobId, exception);
  }

  @Override
  public Object execute(CommandContext commandContext) {
    Object result = super.execute(commandContext);
    RetryAfterException retryAfter = RetryAfterException.findIn(exception);
    JobEntity job = getJob();
    if (retryAfter != null && job != null && job.getRetries() > 0) {
      Date notBefore = new Date(ClockUtil.getCurrentTime().getTime() + retryAfter.retryAfter().toMillis());
      if (job.getDuedate() == null || job.getDuedate().before(notBefore)) {
        job.setDuedate(notBefore);
      }
    }
    return result;
  }
}
