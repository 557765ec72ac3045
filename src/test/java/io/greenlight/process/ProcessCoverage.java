package io.greenlight.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.impl.history.event.HistoricActivityInstanceEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.FlowNode;

/**
 * Which elements of {@code bpmn/deployment-approval.bpmn} a scenario test class ran through, as the engine's history
 * events say (the scenario engine hands them to {@link Recorder} beside its own history). Reported by the build in
 * {@code target/process-coverage/<class>.txt}, with the elements no test reached. (Camunda's community coverage
 * extension reads the model as the authenticated user, which an engine with authorizations on, as here, refuses.)
 */
public final class ProcessCoverage {

  private static final String MULTI_INSTANCE_BODY = "#multiInstanceBody";
  /** What the running test class reached; test classes run one after the other. */
  private static final Set<String> COVERED = ConcurrentHashMap.newKeySet();

  /** In the scenario engine's {@code customHistoryEventHandlers}: notes every activity that starts. */
  public static class Recorder implements HistoryEventHandler {
    @Override
    public void handleEvent(HistoryEvent event) {
      if (event instanceof HistoricActivityInstanceEventEntity activity && activity.getActivityId() != null) {
        COVERED.add(activity.getActivityId().replace(MULTI_INSTANCE_BODY, ""));
      }
    }

    @Override
    public void handleEvents(List<HistoryEvent> events) {
      events.forEach(this::handleEvent);
    }
  }

  private ProcessCoverage() {}

  /** Writes the report of the test class that has just run and starts afresh; the share of the elements it reached. */
  static double report(String testClass) throws IOException {
    Set<String> elements = Bpmn.readModelFromFile(new File("bpmn/deployment-approval.bpmn")).getModelElementsByType(FlowNode.class)
        .stream().map(FlowNode::getId).collect(Collectors.toCollection(TreeSet::new));
    Set<String> covered = new TreeSet<>(COVERED);
    covered.retainAll(elements);
    COVERED.clear();
    Set<String> missed = new TreeSet<>(elements);
    missed.removeAll(covered);
    double share = covered.size() / (double) elements.size();
    String report = String.format("%s: %d of %d elements of deployment-approval covered (%.0f%%)%nnot covered: %s%n",
        testClass, covered.size(), elements.size(), 100 * share, missed.isEmpty() ? "-" : String.join(", ", missed));
    Path file = Path.of("target", "process-coverage", testClass + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    System.out.print(report);
    return share;
  }
}
