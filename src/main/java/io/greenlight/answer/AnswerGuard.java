package io.greenlight.answer;

import static io.greenlight.approval.ApprovalVariables.COMMENT;
import static io.greenlight.approval.ApprovalVariables.DECISION;
import static io.greenlight.approval.ApprovalVariables.PROCESS_KEY;
import static io.greenlight.approval.ApprovalVariables.REVIEW_OUTCOME;
import static io.greenlight.approval.ApprovalVariables.REVIEW_PROCESS_KEY;

import io.greenlight.approval.ActivityIds;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractPatchVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractVariableCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.DeleteTaskCommentCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskBpmnErrorCmd;
import org.camunda.bpm.engine.impl.cmd.HandleTaskEscalationCmd;
import org.camunda.bpm.engine.impl.cmd.ResolveTaskCmd;
import org.camunda.bpm.engine.impl.cmd.PatchTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.RemoveTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.SetTaskVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.cmd.UpdateCommentCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.value.SerializableValue;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.stereotype.Component;

/**
 * Camunda lets whoever completes a task, or may update it, write any process variable. For a deployment
 * approval that would let an approver rewrite who asked, which group decides or which CircleCI gate gets
 * approved. This engine plugin keeps people to their answer: completing "Decide on deployment" may set only
 * {@code decision} and {@code comment} (the form sends its read-only details back too; unchanged values pass);
 * ending it otherwise (a BPMN error or escalation, which can carry variables too), resolving it, changing or deleting
 * its comments, claiming it for somebody else, and writing variables of a deployment approval directly, are for admins
 * ({@code camunda-admin}) only.
 * Greenlight's own code and the process itself are not limited.
 */
@Component
public class AnswerGuard extends AbstractProcessEnginePlugin {

  /** What a person's answer may set, by the task it answers: a decision, or the review of a break-glass approval. */
  static final Map<String, Set<String>> ANSWERS = Map.of(
      PROCESS_KEY + ":" + ActivityIds.DECIDE, Set.of(DECISION, COMMENT),
      REVIEW_PROCESS_KEY + ":" + ActivityIds.REVIEW_EMERGENCY_DEPLOY, Set.of(REVIEW_OUTCOME, COMMENT));
  /** What a candidate's TASK_WORK would otherwise allow on a decision task besides answering it. */
  static final Map<Class<?>, String> OTHER_WAYS_TO_END_OR_ALTER_A_TASK = Map.of(
      HandleTaskBpmnErrorCmd.class, "end it with a BPMN error",
      HandleTaskEscalationCmd.class, "end it with an escalation",
      ResolveTaskCmd.class, "resolve it",
      DeleteTaskCommentCmd.class, "delete its comments",
      UpdateCommentCmd.class, "change its comments");

  private final RefusalLimit refusalLimit;

  public AnswerGuard(RefusalLimit refusalLimit) {
    this.refusalLimit = refusalLimit;
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    List<CommandInterceptor> interceptors = configuration.getCustomPostCommandInterceptorsTxRequired() == null
        ? new java.util.ArrayList<>() : new java.util.ArrayList<>(configuration.getCustomPostCommandInterceptorsTxRequired());
    interceptors.add(new Interceptor(refusalLimit));
    configuration.setCustomPostCommandInterceptorsTxRequired(interceptors);
  }

  static final class Interceptor extends CommandInterceptor {

    private final RefusalLimit refusalLimit;

    Interceptor(RefusalLimit refusalLimit) {
      this.refusalLimit = refusalLimit;
    }

    @Override
    public <T> T execute(Command<T> command) {
      for (Map.Entry<Class<?>, String> otherWay : OTHER_WAYS_TO_END_OR_ALTER_A_TASK.entrySet()) {
        if (otherWay.getKey().isInstance(command)) {
          checkOnlyAnAdmin(command, otherWay.getValue());
          return next.execute(command);
        }
      }
      if (command instanceof ClaimTaskCmd) {
        checkClaim(command);
        return next.execute(command);
      }
      if (command instanceof CompleteTaskCmd || command instanceof SubmitTaskFormCmd) {
        checkAnswer(command);
        try {
          return next.execute(command);
        } catch (ProcessEngineException failure) {
          // The engine wraps what the complete listener throws; a refused answer leaves it as itself, so Camunda's
          // REST API answers 400 with the reason rather than 500.
          throw DecisionRefusedException.in(failure).orElseThrow(() -> failure);
        }
      } else if (command instanceof AbstractVariableCmd || command instanceof AbstractPatchVariablesCmd) {
        checkVariableWrite(command);
      }
      return next.execute(command);
    }

    /**
     * Whoever may work a task may also end it with a BPMN error or an escalation (setting any variables on the way),
     * resolve it, or delete its comments. On a decision task none of that is an answer: only admins may.
     */
    private void checkOnlyAnAdmin(Command<?> command, String otherWay) {
      TaskEntity task = unlimited() ? null : decisionTaskOf(command);
      if (task != null) {
        throw refused(task, "admin_only", new AuthorizationException("A deployment decision is given by completing the task "
            + "(approve or reject); only an admin may " + otherWay + ". Nothing was changed."));
      }
    }

    /** A candidate claims a decision task for themselves, and gives up only their own claim. */
    private void checkClaim(Command<?> command) {
      TaskEntity task = unlimited() ? null : decisionTaskOf(command);
      if (task == null) {
        return;
      }
      String userId = Context.getCommandContext().getAuthenticatedUserId();
      String claimant = (String) read(command, "userId");
      boolean forSomebodyElse = claimant != null && !claimant.equals(userId);
      boolean releasingSomebodyElses = claimant == null && task.getAssignee() != null && !task.getAssignee().equals(userId);
      if (forSomebodyElse || releasingSomebodyElses) {
        throw refused(task, "claim_for_others", new AuthorizationException("You may claim a deployment decision for "
            + "yourself, and give up only your own claim. Nothing was changed."));
      }
    }

    private void checkAnswer(Command<?> command) {
      TaskEntity task = decisionTaskOf(command);
      if (task == null) {
        return;
      }
      String userId = Context.getCommandContext().getAuthenticatedUserId();
      if (!unlimited() && refusalLimit.tooManyLately(userId)) {
        throw new DecisionRefusedException(Refusal.tooManyRefused(refusalLimit.message()));
      }
      Object answer = read(command, command instanceof CompleteTaskCmd ? "variables" : "properties");
      if (!(answer instanceof Map<?, ?> variables)) {
        return;
      }
      for (Object key : variables.keySet()) {
        String name = String.valueOf(key);
        // Checked before anything reads the value: a serialized object given here would be built by whoever reads it
        // (a VariableMap's entries unpack their values, so the typed value is taken as given).
        Object given = variables instanceof VariableMap typedMap ? typedMap.getValueTyped(name) : variables.get(key);
        if (!isPlainValue(given)) {
          throw refused(task, "not_text", new DecisionRefusedException(new Refusal("not_text", name,
              "'" + name + "' must be given as text (type String)." + Refusal.NOTHING_RECORDED)));
        }
        Set<String> answerFields = answerOf(task);
        if (answerFields.contains(name)) {
          continue;
        }
        Object current = task.getExecution().getVariable(name);
        Object value = given instanceof TypedValue typed ? typed.getValue() : given;
        if (!sameValue(current, value)) {
          throw refused(task, "not_an_answer", new DecisionRefusedException(new Refusal("not_an_answer", name,
              "An answer here may set only " + String.join(" and ", answerFields.stream().sorted().map(field -> "'" + field + "'").toList())
                  + ", not '" + name + "': Greenlight keeps the details of the request." + Refusal.NOTHING_RECORDED)));
        }
      }
    }

    private void checkVariableWrite(Command<?> command) {
      if (unlimited()) {
        return;
      }
      CommandContext context = Context.getCommandContext();
      String entityId = (String) read(command, "entityId");
      boolean onTask = command instanceof SetTaskVariablesCmd || command instanceof RemoveTaskVariablesCmd
          || command instanceof PatchTaskVariablesCmd;
      String processDefinitionId;
      if (onTask) {
        TaskEntity task = context.getTaskManager().findTaskById(entityId);
        processDefinitionId = task == null ? null : task.getProcessDefinitionId();
      } else {
        ExecutionEntity execution = context.getExecutionManager().findExecutionById(entityId);
        processDefinitionId = execution == null ? null : execution.getProcessDefinitionId();
      }
      if (isDeploymentApproval(processDefinitionId)) {
        throw new AuthorizationException("Variables of a deployment approval are kept by Greenlight; only an admin may "
            + "change them. Nothing was changed.");
      }
    }

    /** What a person tried on a decision task and was refused stays in the request's history. */
    private <E extends RuntimeException> E refused(TaskEntity task, String code, E refusal) {
      RefusedAnswers.recordFromEngine(refusalLimit, task.getProcessInstanceId(), Context.getCommandContext().getAuthenticatedUserId(),
          null, null, code, refusal.getMessage());
      return refusal;
    }

    /** Greenlight's own code and the process (no user), or an admin: not limited. */
    private static boolean unlimited() {
      CommandContext context = Context.getCommandContext();
      Collection<String> groups = context.getAuthenticatedGroupIds();
      return context.getAuthenticatedUserId() == null || (groups != null && groups.contains(Groups.CAMUNDA_ADMIN));
    }

    /**
     * The task the command is about when it is one people answer ("Decide on deployment", "Review emergency deploy"), or
     * null when it is about another task or none.
     */
    private static TaskEntity decisionTaskOf(Command<?> command) {
      String taskId = (String) read(command, "taskId");
      TaskEntity task = taskId == null ? null : Context.getCommandContext().getTaskManager().findTaskById(taskId);
      return task != null && !answerOf(task).isEmpty() ? task : null;
    }

    /** What an answer to {@code task} may set; empty for a task that is not one of Greenlight's answers. */
    private static Set<String> answerOf(TaskEntity task) {
      String definition = task.getProcessDefinitionId();
      String key = definition == null ? "" : definition.substring(0, Math.max(0, definition.indexOf(':')));
      return ANSWERS.getOrDefault(key + ":" + task.getTaskDefinitionKey(), Set.of());
    }

    /**
     * What a person may hand the engine with an answer: text and other primitive values (the form sends its read-only
     * details back as such), never an object, JSON or XML value for the engine to deserialize.
     */
    static boolean isPlainValue(Object value) {
      if (value instanceof TypedValue typed) {
        if (typed.getType() == null) {
          return isPlainValue(typed.getValue()); // untyped: the value as the JSON gave it, a map or list among them
        }
        return typed.getType().isPrimitiveValueType() && !(typed instanceof SerializableValue);
      }
      return value == null || value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    /** The form sends an empty text for a detail the request left out. */
    private static boolean sameValue(Object current, Object given) {
      boolean currentEmpty = current == null || "".equals(current);
      boolean givenEmpty = given == null || "".equals(given);
      return currentEmpty && givenEmpty || Objects.equals(current, given);
    }

    /** A deployment approval, or the review of one: Greenlight keeps their variables. */
    private static boolean isDeploymentApproval(String processDefinitionId) {
      return processDefinitionId != null
          && (processDefinitionId.startsWith(PROCESS_KEY + ":") || processDefinitionId.startsWith(REVIEW_PROCESS_KEY + ":"));
    }

    /** The commands keep their arguments in protected fields; a renamed field fails closed. */
    private static Object read(Object command, String fieldName) {
      for (Class<?> type = command.getClass(); type != null; type = type.getSuperclass()) {
        try {
          Field field = type.getDeclaredField(fieldName);
          field.setAccessible(true);
          return field.get(command);
        } catch (NoSuchFieldException notHere) {
          // look in the superclass
        } catch (IllegalAccessException e) {
          break;
        }
      }
      throw new ProcessEngineException("Greenlight cannot check " + command.getClass().getSimpleName() + "; refused.");
    }
  }
}
