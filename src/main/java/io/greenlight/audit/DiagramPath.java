package io.greenlight.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricIncident;

/**
 * The path a request took through its diagram, from the engine's activity history: which elements it passed and how
 * often, where it waits now (the innermost elements, not the sub-processes around them), where it ended, where an incident is open; and the same steps in order for readers who
 * do not look at the picture. The history page paints this onto the BPMN.
 */
public record DiagramPath(Map<String, Integer> passed, Set<String> current, Set<String> ended, Set<String> incidents,
                          List<Step> steps) {

  /** One element the request passed, for the text beside the picture. */
  public record Step(String elementId, String name, String type, Instant started, Instant ended, boolean cancelled) {}

  private static final String MULTI_INSTANCE_BODY = "#multiInstanceBody";

  public static DiagramPath of(HistoryService history, String instanceId) {
    Map<String, Integer> passed = new LinkedHashMap<>();
    Set<String> current = new LinkedHashSet<>();
    Set<String> ended = new LinkedHashSet<>();
    List<Step> steps = new ArrayList<>();
    for (HistoricActivityInstance activity : history.createHistoricActivityInstanceQuery().processInstanceId(instanceId)
        .orderPartiallyByOccurrence().asc().list()) {
      String elementId = activity.getActivityId().replace(MULTI_INSTANCE_BODY, "");
      boolean body = activity.getActivityId().endsWith(MULTI_INSTANCE_BODY);
      if (!body) {
        passed.merge(elementId, 1, Integer::sum);
      } else {
        passed.putIfAbsent(elementId, 0);
      }
      boolean scope = body || "subProcess".equals(activity.getActivityType());
      if (activity.getEndTime() == null && !scope) {
        current.add(elementId);
      } else if (activity.getActivityType().endsWith("EndEvent") && !activity.isCanceled()) {
        ended.add(elementId);
      }
      if (!body && activity.getActivityName() != null && !activity.getActivityType().endsWith("Gateway")) {
        steps.add(new Step(elementId, activity.getActivityName(), readable(activity.getActivityType()),
            instant(activity.getStartTime()), instant(activity.getEndTime()), activity.isCanceled()));
      }
    }
    Set<String> incidents = new LinkedHashSet<>();
    for (HistoricIncident incident : history.createHistoricIncidentQuery().processInstanceId(instanceId).open().list()) {
      incidents.add(incident.getActivityId());
    }
    return new DiagramPath(passed, current, ended, incidents, steps);
  }

  /** {@code serviceTask} → {@code service task}. */
  private static String readable(String activityType) {
    return activityType.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
  }

  private static Instant instant(java.util.Date date) {
    return date == null ? null : date.toInstant();
  }
}
