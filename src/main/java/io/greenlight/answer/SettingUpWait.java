package io.greenlight.answer;

import io.greenlight.approval.ActivityIds;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.spring.boot.starter.event.TaskEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * An answer that arrives while its request is still being set up (the gate looked up, the approvers routed: a few
 * seconds, usually) waits for its decision task rather than being refused a moment too early. Only answers from people
 * who may answer that request get here ({@link Answering} refuses everyone else first), at most
 * {@code max-waiting-answers} at once on this node and each for at most {@code setting-up-wait}: beyond that an answer is
 * refused at once, so waiting answers can never hold the server's threads.
 *
 * <p>The wait ends the moment the task is created on this node (the engine's task event, after its transaction
 * committed); a task created on another node of a cluster is seen at the next look, once a second.
 */
@Component
class SettingUpWait {

  private static final Duration LOOK_AGAIN = Duration.ofSeconds(1);

  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
  private final Semaphore places;
  private final Duration longest;

  SettingUpWait(AnswerProperties settings) {
    this.places = new Semaphore(settings.maxWaitingAnswers());
    this.longest = settings.settingUpWait();
  }

  enum Result { READY, NOT_READY, NO_PLACE }

  /**
   * Waits until {@code ready} says so, or {@code stillSettingUp} no longer does, or the longest wait has passed; at once
   * {@link Result#NO_PLACE} when too many answers wait already.
   */
  Result await(String requestId, BooleanSupplier ready, BooleanSupplier stillSettingUp) {
    if (!places.tryAcquire()) {
      return Result.NO_PLACE;
    }
    long deadline = System.nanoTime() + longest.toNanos();
    CompletableFuture<Void> created = waiting.computeIfAbsent(requestId, id -> new CompletableFuture<>());
    try {
      while (true) {
        if (ready.getAsBoolean()) {
          return Result.READY;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !stillSettingUp.getAsBoolean()) {
          return Result.NOT_READY;
        }
        try {
          created.get(Math.min(left, LOOK_AGAIN.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException lookAgain) {
          // a task created on another node, or the request ended: the next look tells
        } catch (ExecutionException impossible) {
          return Result.NOT_READY;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return Result.NOT_READY;
        }
      }
    } finally {
      waiting.remove(requestId, created);
      places.release();
    }
  }

  /** A decision task was created and its transaction committed: answers waiting for it go on now. */
  @TransactionalEventListener(fallbackExecution = true, condition = "#task.eventName == '" + TaskListener.EVENTNAME_CREATE + "'")
  void taskCreated(TaskEvent task) {
    if (ActivityIds.DECIDE.equals(task.getTaskDefinitionKey())) {
      CompletableFuture<Void> created = waiting.get(task.getProcessInstanceId());
      if (created != null) {
        created.complete(null);
      }
    }
  }
}
