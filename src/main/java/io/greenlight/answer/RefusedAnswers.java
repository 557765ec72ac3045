package io.greenlight.answer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.greenlight.approval.JsonVariables;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.history.event.HistoricProcessInstanceEventEntity;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.persistence.entity.CommentEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.task.Comment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers that were refused, and why, kept in the engine's history beside the request: a process-instance comment
 * (ACT_HI_COMMENT) holding the refusal as JSON. A refused answer rolls back everything it touched, so the record is
 * written in a transaction of its own; it never changes the request.
 *
 * <p>Anyone in the directory may answer, and be refused, as often as they like; so that cannot bury a request's real
 * history, the first {@value #KEPT_IN_FULL} refusals of one person on one request are kept as they are, and every one
 * after that replaces a single record holding the latest and how many there were; what a person wrote is kept to
 * {@value #MOST_KEPT_CHARACTERS} characters; and a person refused too often lately is not listened to for a while
 * ({@link RefusalLimit}).
 */
public final class RefusedAnswers {

  private static final Logger log = LoggerFactory.getLogger(RefusedAnswers.class);
  /** What a person wrote is kept to this length here; the whole text was refused anyway. */
  static final int MOST_KEPT_CHARACTERS = 280;
  /** Refusals of one person on one request kept one by one; later ones are folded into one record. */
  public static final int KEPT_IN_FULL = 3;
  private static final String STORED_PREFIX = "{\"refused_answer\"";
  /** The comment type of a refusal record; Camunda's own comments are of type 'comment' or 'event'. */
  static final String TYPE = "greenlight-refused-answer";
  /** Camunda keeps the short message in a column of its own, cut to 163 characters. */
  private static final int SHORT_MESSAGE = 160;

  private RefusedAnswers() {}

  /** One refused answer: who, through which channel, what they answered, and the refusal's code and reason. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RefusedAnswer(String user, String channel, String decision, String comment, String code, String reason,
                              Instant at, Integer repeated) {

    /** How many refusals of this person this record stands for: itself, or the latest of several. */
    public int count() {
      return repeated == null ? 1 : repeated;
    }
  }

  /** The JSON a record is kept under, so it is told apart from comments people write. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  private record Stored(RefusedAnswer refusedAnswer) {}

  /** Records the refusal in its own transaction; from inside an engine command (a task listener, an interceptor). */
  static void recordFromEngine(RefusalLimit limit, String processInstanceId, String userId, String decision, String comment,
                               String code, String reason) {
    record(limit, Context.getProcessEngineConfiguration().getCommandExecutorTxRequiresNew(), processInstanceId, userId,
        DecisionChannel.current(), decision, comment, code, reason);
  }

  /** Records the refusal in its own transaction. A failure to record is logged and never hides the refusal itself. */
  static void record(RefusalLimit limit, CommandExecutor newTransaction, String processInstanceId, String userId,
                     String channel, String decision, String comment, String code, String reason) {
    if (processInstanceId == null) {
      return;
    }
    if (!Refusals.NOT_READY.equals(code)) {
      // "Not ready" is the request's state, not the person's fault: trying again shortly is what they were told to do.
      limit.noteRefusal(userId);
    }
    try {
      newTransaction.execute(commandContext -> {
        List<CommentEntity> earlier = commandContext.getCommentManager().findCommentsByProcessInstanceId(processInstanceId)
            .stream().filter(entry -> entry instanceof CommentEntity).map(CommentEntity.class::cast)
            .filter(entry -> TYPE.equals(entry.getType()) && Objects.equals(userId, entry.getUserId())).toList();
        Integer repeated = null;
        if (earlier.size() >= KEPT_IN_FULL) {
          // Past the first few: this refusal takes the place of the record of those folded so far.
          repeated = 1;
          for (CommentEntity entry : earlier) {
            RefusedAnswer stored = read(entry);
            if (stored != null && stored.repeated() != null) {
              repeated = Math.max(repeated, stored.count() + 1);
              commandContext.getCommentManager().delete(entry);
            }
          }
        }
        RefusedAnswer refused = new RefusedAnswer(userId, channel, shorten(decision), shorten(comment), code, shorten(reason),
            ClockUtil.getCurrentTime().toInstant(), repeated);
        String json = JsonVariables.text(new Stored(refused));
        CommentEntity entry = new CommentEntity();
        // A type of its own: comments people add (any type 'comment') are never read as refusals.
        entry.setType(TYPE);
        entry.setAction(TYPE);
        entry.setUserId(userId);
        entry.setTime(ClockUtil.getCurrentTime());
        entry.setProcessInstanceId(processInstanceId);
        entry.setMessage(shortMessage(refused));
        entry.setFullMessage(json);
        HistoricProcessInstanceEventEntity instance =
            commandContext.getHistoricProcessInstanceManager().findHistoricProcessInstance(processInstanceId);
        if (instance != null) {
          entry.setRootProcessInstanceId(instance.getRootProcessInstanceId());
          entry.setRemovalTime(instance.getRemovalTime());
        }
        commandContext.getCommentManager().insert(entry);
        return null;
      });
    } catch (RuntimeException failure) {
      log.warn("Could not record the refused answer of {} to request {} ({}): {}", userId, processInstanceId, code,
          failure.toString());
    }
  }

  /** The refused answers to a request, oldest first. */
  public static List<RefusedAnswer> of(TaskService tasks, String processInstanceId) {
    return tasks.getProcessInstanceComments(processInstanceId).stream()
        .map(RefusedAnswers::read)
        .filter(Objects::nonNull)
        .sorted(java.util.Comparator.comparing(RefusedAnswer::at))
        .toList();
  }

  /** A refusal record, with who and when as the engine stored them (not as the JSON says). */
  private static RefusedAnswer read(Comment comment) {
    String text = comment.getFullMessage();
    if (!(comment instanceof CommentEntity entity) || !TYPE.equals(entity.getType()) || text == null
        || !text.startsWith(STORED_PREFIX)) {
      return null;
    }
    try {
      RefusedAnswer stored = JsonVariables.MAPPER.readValue(text, Stored.class).refusedAnswer();
      return new RefusedAnswer(comment.getUserId(), stored.channel(), stored.decision(), stored.comment(), stored.code(),
          stored.reason(), comment.getTime().toInstant(), stored.repeated());
    } catch (JsonProcessingException unreadable) {
      return null;
    }
  }

  private static String shortMessage(RefusedAnswer refused) {
    String text = "Refused answer of " + refused.user() + " (" + refused.channel() + "): " + refused.code();
    return text.length() <= SHORT_MESSAGE ? text : text.substring(0, SHORT_MESSAGE);
  }

  private static String shorten(String text) {
    return text == null || text.length() <= MOST_KEPT_CHARACTERS ? text : text.substring(0, MOST_KEPT_CHARACTERS) + "…";
  }
}
