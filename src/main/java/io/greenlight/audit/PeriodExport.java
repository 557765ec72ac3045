package io.greenlight.audit;

import static io.greenlight.approval.ApprovalVariables.BREAK_GLASS;
import static io.greenlight.approval.ApprovalVariables.PROCESS_KEY;
import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;

import io.greenlight.approval.ApprovalRequests;
import java.io.Closeable;
import java.io.IOException;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstanceQuery;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.camunda.spin.plugin.variable.value.JsonValue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The requests of a period, oldest first, read from the engine's history a page at a time: each page is handed on as
 * soon as it is read and then dropped, so a year of requests never sits in memory at once. A page costs a fixed number
 * of queries whatever its size: its instances, the project slugs when a project glob filters them, and the variables
 * of the requests kept (one query for all of them, as the request list reads them).
 */
@Component
class PeriodExport {

  static final int PAGE_SIZE = 500;

  /** Where each page of rows goes as soon as it is read. */
  interface Pages {
    void write(List<PeriodRow> rows) throws IOException;
  }

  /** A format of the export: it takes the pages as they come, and is closed, ending it, once all have come. */
  interface Format extends Pages, Closeable {}

  private final HistoryService history;
  private final ApprovalRequests requests;
  /** Not final: a test shrinks it on the application's own bean to see an export cut off after its first pages. */
  private int pageSize;

  @Autowired
  PeriodExport(HistoryService history, ApprovalRequests requests) {
    this(history, requests, PAGE_SIZE);
  }

  /** With pages of {@code pageSize} requests: tests see several pages without making hundreds of requests. */
  PeriodExport(HistoryService history, ApprovalRequests requests, int pageSize) {
    this.history = history;
    this.requests = requests;
    this.pageSize = pageSize;
  }

  /**
   * Writes the rows of {@code period} to {@code pages}, sorted by when each request was made (then by id, so that
   * requests made in the same millisecond keep one order from page to page). Pages are counted by position: a request
   * is only ever added as the newest (it starts now), so pages of a period that has passed never shift. Of a period that
   * includes today, a request made while the export runs may be missing, or a row repeated at a page's edge.
   */
  void export(AuditPeriod period, Pages pages) throws IOException {
    Predicate<String> projects = period.projects();
    HistoricProcessInstanceQuery query = history.createHistoricProcessInstanceQuery().processDefinitionKey(PROCESS_KEY)
        // Both bounds are inclusive in the engine's query: the period ends a millisecond before the next day.
        .startedAfter(Date.from(period.start())).startedBefore(Date.from(period.end().minusMillis(1)))
        .orderByProcessInstanceStartTime().asc().orderByProcessInstanceId().asc();
    for (int first = 0; ; first += pageSize) {
      List<HistoricProcessInstance> page = query.listPage(first, pageSize);
      List<HistoricProcessInstance> kept = period.project() == null ? page : ofProjects(page, projects);
      if (!kept.isEmpty()) {
        pages.write(rowsOf(kept));
      }
      if (page.size() < pageSize) {
        return;
      }
    }
  }

  /** The rows of {@code page}, in its order, from the same view the API shows of each request. */
  private List<PeriodRow> rowsOf(List<HistoricProcessInstance> page) {
    List<String> ids = page.stream().map(HistoricProcessInstance::getId).toList();
    Map<String, Map<String, Object>> variables = requests.variablesOf(ids);
    // No column needs the open task (it only makes the stage and the Tasklist link): it is not looked up.
    return page.stream().map(instance -> {
      Map<String, Object> these = variables.getOrDefault(instance.getId(), Map.of());
      return PeriodRow.of(requests.view(instance, these, null), breakGlass(these.get(BREAK_GLASS)));
    }).toList();
  }

  /** The requests of {@code page} whose project {@code projects} covers, reading only their project slugs. */
  private List<HistoricProcessInstance> ofProjects(List<HistoricProcessInstance> page, Predicate<String> projects) {
    if (page.isEmpty()) {
      return page;
    }
    Map<String, String> slugs = new HashMap<>();
    history.createHistoricVariableInstanceQuery().variableName(PROJECT_SLUG)
        .processInstanceIdIn(page.stream().map(HistoricProcessInstance::getId).toArray(String[]::new))
        .disableCustomObjectDeserialization().list()
        .forEach(slug -> slugs.put(slug.getProcessInstanceId(), slug.getValue() == null ? null : slug.getValue().toString()));
    return page.stream().filter(instance -> projects.test(slugs.get(instance.getId()))).toList();
  }

  /**
   * Whether the request's {@code breakGlass} variable (the break-glass approval that decided it: JSON by, reason, at) is
   * set. Only whether: read as text, so that the export depends on no shape of it.
   */
  static boolean breakGlass(Object typedValue) {
    Object value = typedValue instanceof JsonValue json ? json.getValueSerialized()
        : typedValue instanceof TypedValue typed ? typed.getValue() : typedValue;
    return value != null && !value.toString().isBlank() && !"null".equals(value.toString().trim());
  }
}
