package io.greenlight.notify;

import io.greenlight.approval.ActivityIds;
import io.greenlight.approval.ApprovalVariables;
import io.greenlight.approval.AskingLevels;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * Refuses a deployment whose "Choose who to ask next" lists a level the step does not know, or whose "Notify approver"
 * limits a channel to such a level (its input {@code voiceAtLevels}, say; {@code atLevels} of a channel task in earlier
 * models): the process owner who deploys it from Modeler
 * is told at once, instead of a request stopping later with an incident.
 */
@Component
public class AskingLevelsCheck extends AbstractProcessEnginePlugin {

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPreBPMNParseListeners() == null) {
      configuration.setCustomPreBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPreBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseServiceTask(Element serviceTask, ScopeImpl scope, ActivityImpl activity) {
        if (ActivityIds.ASK_NEXT_LEVEL.equals(activity.getId())) {
          check(levelsListed(serviceTask, ApprovalVariables.LEVELS, "\"Choose who to ask next\""));
        }
        List<String> atLevels = levelsListed(serviceTask, AskOnChannel.AT_LEVELS, activity.getId());
        if (atLevels != null) {
          check(atLevels, AskOnChannel.AT_LEVELS, activity.getId());
        }
      }

      @Override
      public void parseSubProcess(Element subProcess, ScopeImpl scope, ActivityImpl activity) {
        for (String input : inputNames(subProcess)) {
          if (input.endsWith(TheirChannels.AT_LEVELS_SUFFIX)) {
            check(levelsListed(subProcess, input, activity.getId()), input, activity.getId());
          }
        }
      }
    });
  }

  static void check(List<String> levels) {
    check(levels, ApprovalVariables.LEVELS, "\"Choose who to ask next\"");
  }

  static void check(List<String> levels, String input, String task) {
    if (levels == null) {
      return;
    }
    if (levels.isEmpty()) {
      throw new ProcessEngineException("The " + input + " input of " + task + " lists no level: list one or more of "
          + String.join(", ", AskingLevels.ALL));
    }
    for (String level : levels) {
      if (!AskingLevels.ALL.contains(level)) {
        throw new ProcessEngineException("Unknown level '" + level + "' in the " + input + " input of " + task + ": "
            + "the levels are " + String.join(", ", AskingLevels.ALL));
      }
    }
  }

  /**
   * Whether a step that uses a channel only at the levels {@code listed} (comma-separated; the input {@code input} of
   * {@code task}) applies to the person of {@code execution}: they were asked at one of them. An unknown level stops
   * the step (an expression gave it, so the deployment could not be checked).
   */
  static boolean askedAtOneOf(DelegateExecution execution, Object listed, String input, String task) {
    List<String> levels = AskingLevels.parse(String.valueOf(listed));
    check(levels, input, task);
    return levels.contains(String.valueOf(execution.getVariable(ApprovalVariables.ASKED_AT_LEVEL)));
  }

  private static List<String> inputNames(Element element) {
    return inputParameters(element).stream().map(input -> input.attribute("name")).toList();
  }

  private static List<Element> inputParameters(Element element) {
    Element extensions = element.element("extensionElements");
    Element inputOutput = extensions == null ? null : extensions.elementNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "inputOutput");
    return inputOutput == null ? List.of() : inputOutput.elementsNS(BpmnParse.CAMUNDA_BPMN_EXTENSIONS_NS, "inputParameter");
  }

  /**
   * The levels the input {@code name} lists; null when the step has no such input, or an expression gives them
   * (checked when the step runs).
   */
  private static List<String> levelsListed(Element element, String name, String task) {
    for (Element input : inputParameters(element)) {
      if (name.equals(input.attribute("name"))) {
        if (!input.elements().isEmpty()) {
          throw new ProcessEngineException("The " + name + " input of " + task + " must be text, the levels "
              + "comma-separated (" + String.join(", ", AskingLevels.ALL) + "), not a list, map or script");
        }
        String text = input.getText() == null ? "" : input.getText();
        return text.contains("${") || text.contains("#{") ? null : AskingLevels.parse(text);
      }
    }
    return null;
  }
}
