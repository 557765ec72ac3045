package io.greenlight.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;

/**
 * The starter's job executor, configured as the starter configures it, that also knows which jobs this node has handed
 * to its threads and not finished: their locks are this node's own and live, and {@link ReleaseJobLocksAfterOutage}
 * leaves them alone.
 */
public class JobsInFlight extends SpringJobExecutor {

  private final Set<String> running = ConcurrentHashMap.newKeySet();

  /** A job executor with every setting of {@code configured} (the starter's, from {@code camunda.bpm.job-execution.*}). */
  public static JobsInFlight copyOf(SpringJobExecutor configured) {
    JobsInFlight executor = new JobsInFlight();
    executor.setTaskExecutor(configured.getTaskExecutor());
    executor.setRejectedJobsHandler(configured.getRejectedJobsHandler());
    executor.setLockTimeInMillis(configured.getLockTimeInMillis());
    executor.setMaxJobsPerAcquisition(configured.getMaxJobsPerAcquisition());
    executor.setWaitTimeInMillis(configured.getWaitTimeInMillis());
    executor.setMaxWait(configured.getMaxWait());
    executor.setBackoffTimeInMillis(configured.getBackoffTimeInMillis());
    executor.setMaxBackoff(configured.getMaxBackoff());
    executor.setBackoffDecreaseThreshold(configured.getBackoffDecreaseThreshold());
    executor.setWaitIncreaseFactor(configured.getWaitIncreaseFactor());
    return executor;
  }

  @Override
  public Runnable getExecuteJobsRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
    Runnable execute = super.getExecuteJobsRunnable(jobIds, processEngine);
    List<String> ids = List.copyOf(jobIds);
    running.addAll(ids);
    return () -> {
      try {
        execute.run();
      } finally {
        ids.forEach(running::remove);
      }
    };
  }

  /** The jobs this node's threads are running or have queued right now. */
  public Set<String> running() {
    return Set.copyOf(running);
  }
}
