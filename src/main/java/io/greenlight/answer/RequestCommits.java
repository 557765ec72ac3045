package io.greenlight.answer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.camunda.bpm.spring.boot.starter.event.ExecutionEvent;
import org.camunda.bpm.spring.boot.starter.event.TaskEvent;
import org.springframework.stereotype.Component;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * When a request last changed: an answer that collided with a change of its request (a notification job's commit, say)
 * waits for the request's next committed change before it tries again, instead of colliding with it too. The engine
 * says so on this node (its execution and task events, after their transaction committed); a change on another node of
 * a cluster is not seen, so the wait is bounded: a few tens of milliseconds, growing and random, so answers that
 * collided with each other do not collide again.
 */
@Component
class RequestCommits {

  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

  /** A {@link RetryOnConflict.Between} for the answers to {@code requestId}. */
  RetryOnConflict.Between nextChangeOf(String requestId) {
    return attempt -> awaitNext(requestId, Duration.ofMillis(ThreadLocalRandom.current().nextLong(10, 50L * attempt)));
  }

  private void awaitNext(String requestId, Duration longest) {
    CompletableFuture<Void> changed = waiting.computeIfAbsent(requestId, id -> new CompletableFuture<>());
    try {
      changed.get(longest.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException noChangeSeen) {
      // changed on another node, or not at all: try again anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      waiting.remove(requestId, changed);
    }
  }

  @EventListener
  void executionChanged(ExecutionEvent execution) {
    changing(execution.getProcessInstanceId());
  }

  @EventListener
  void taskChanged(TaskEvent task) {
    changing(task.getProcessInstanceId());
  }

  /**
   * The engine publishes its events inside the transaction that makes the change; those waiting are told once it has
   * committed (the change is then what the next attempt reads). Nothing is registered while nobody waits.
   */
  private void changing(String requestId) {
    CompletableFuture<Void> changed = requestId == null ? null : waiting.get(requestId);
    if (changed == null) {
      return;
    }
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          changed.complete(null);
        }
      });
    } else {
      changed.complete(null);
    }
  }
}
