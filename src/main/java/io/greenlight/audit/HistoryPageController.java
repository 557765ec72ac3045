package io.greenlight.audit;

import io.greenlight.approval.ApprovalStatus;
import io.greenlight.approval.ApprovalView;
import io.greenlight.approval.ChangeSummary;
import io.greenlight.approval.JsonVariables;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The auditors' pages: {@code /history} lists requests with filters, {@code /history/{id}} shows one request's diagram
 * with the path it took beside its timeline. Both read the engine's history through {@link Approvals} and
 * {@link DiagramPath}, exactly what the API shows.
 */
@Controller
class HistoryPageController {

  static final int PAGE_SIZE = 50;

  private final Approvals approvals;
  private final ProcessEngine engine;
  private final HistoryService history;
  private final RepositoryService repository;
  private final IdentityService identity;

  HistoryPageController(Approvals approvals, ProcessEngine engine) {
    this.approvals = approvals;
    this.engine = engine;
    this.history = engine.getHistoryService();
    this.repository = engine.getRepositoryService();
    this.identity = engine.getIdentityService();
  }

  @GetMapping(HistoryPageSecurity.SIGN_IN)
  String signIn(@RequestParam(required = false) String next, Model model) {
    model.addAttribute("next", localPage(next));
    return "history/sign-in";
  }

  /**
   * Signs in to the webapps' session, as Tasklist's own login does (the same password check with its lock-out after
   * failed attempts, a new session id, the same authorizations), then goes on to the page that asked.
   */
  @PostMapping(HistoryPageSecurity.SIGN_IN)
  String signIn(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                @RequestParam(required = false) String next, HttpServletRequest request, HttpServletResponse response,
                Model model) {
    UserAuthentication user = username.isBlank() || !identity.checkPassword(username, password)
        ? null : AuthenticationUtil.createAuthentication(engine, username);
    if (user == null || !user.isAuthorizedForApp("tasklist")) {
      response.setStatus(HttpStatus.UNAUTHORIZED.value());
      model.addAttribute("next", localPage(next));
      model.addAttribute("username", username);
      model.addAttribute("error", "Wrong user or password, or no access to Tasklist.");
      return "history/sign-in";
    }
    AuthenticationUtil.revalidateSession(request, user);
    return "redirect:" + localPage(next);
  }

  /** Only a page of the history: never send a signed-in user elsewhere. */
  private static String localPage(String next) {
    boolean local = next != null && (next.equals("/history") || next.startsWith("/history/") || next.startsWith("/history?"))
        && next.chars().noneMatch(c -> c == '\\' || c == '{' || c == '}' || c < 0x20);
    return local ? next : "/history";
  }

  @GetMapping("/history")
  String list(@RequestParam(required = false) String status,
              @RequestParam(name = "project_slug", required = false) String projectSlug,
              @RequestParam(name = "decided_by", required = false) String decidedBy,
              @RequestParam(required = false) String from,
              @RequestParam(required = false) String to,
              Model model) {
    model.addAttribute("statuses", Arrays.stream(ApprovalStatus.values()).map(Enum::name).toList());
    model.addAttribute("filter", Map.of("status", blank(status), "project_slug", blank(projectSlug),
        "decided_by", blank(decidedBy), "from", blank(from), "to", blank(to)));
    try {
      Approvals.Filter filter = Approvals.Filter.parse(blank(status), nullIfBlank(projectSlug), nullIfBlank(decidedBy),
          nullIfBlank(from), nullIfBlank(to));
      model.addAttribute("approvals", approvals.list(filter, PAGE_SIZE, slug -> true));
    } catch (ApiException invalid) {
      model.addAttribute("approvals", List.of());
      model.addAttribute("error", invalid.getMessage());
    }
    model.addAttribute("pageSize", PAGE_SIZE);
    return "history/list";
  }

  @GetMapping("/history/{id}")
  String one(@PathVariable String id, Model model) {
    ApprovalView approval = findWithTimeline(id);
    DiagramPath path = DiagramPath.of(history, id);
    model.addAttribute("approval", approval);
    model.addAttribute("changeLine", ChangeSummary.shortLine(approval, approval.changesUnknown()));
    model.addAttribute("path", path);
    model.addAttribute("passedJson", JsonVariables.text(path.passed()));
    model.addAttribute("currentJson", JsonVariables.text(path.current()));
    model.addAttribute("endedJson", JsonVariables.text(path.ended()));
    model.addAttribute("incidentsJson", JsonVariables.text(path.incidents()));
    return "history/one";
  }

  /** The timeline as CSV for a signed-in reader (the API's {@code audit.csv} asks for an API key or HTTP Basic). */
  @GetMapping(path = "/history/{id}/audit.csv")
  @ResponseBody
  ResponseEntity<String> auditCsv(@PathVariable String id) {
    ApprovalView approval = findWithTimeline(id);
    return ResponseEntity.ok().contentType(AuditController.CSV)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"greenlight-" + id + ".csv\"")
        .body(AuditController.csvOf(approval));
  }

  /** The BPMN the request ran: the version deployed when it started, not necessarily today's. */
  @GetMapping(path = "/history/{id}/diagram.bpmn")
  @ResponseBody
  ResponseEntity<String> diagram(@PathVariable String id) throws IOException {
    find(id);
    HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
    try (InputStream model = repository.getProcessModel(instance.getProcessDefinitionId())) {
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML)
          .body(new String(model.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private ApprovalView find(String id) {
    return approvals.find(requestId(id)).orElseThrow(() -> ApiException.notFound("Approval request " + id));
  }

  private ApprovalView findWithTimeline(String id) {
    return approvals.findWithTimeline(requestId(id), Approvals.Reader.PERSON)
        .orElseThrow(() -> ApiException.notFound("Approval request " + id));
  }

  private static String requestId(String id) {
    if (id == null || !id.matches(Formats.UUID)) {
      throw ApiException.notFound("Approval request " + id);
    }
    return id;
  }

  @ExceptionHandler(ApiException.class)
  String refused(ApiException refused, Model model, HttpServletResponse response) {
    response.setStatus(refused.status().value());
    model.addAttribute("status", refused.status().value());
    model.addAttribute("message", refused.getMessage());
    return "history/error";
  }

  private static String blank(String text) {
    return text == null ? "" : text.trim();
  }

  private static String nullIfBlank(String text) {
    return text == null || text.isBlank() ? null : text.trim();
  }
}
