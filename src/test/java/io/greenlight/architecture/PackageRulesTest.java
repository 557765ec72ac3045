package io.greenlight.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.TaskService;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Who may import whom (docs/architecture.md): packages by feature with no cycle between them; {@code approval}, the
 * request's vocabulary, imports no other Greenlight package; the read side ({@code audit}) is imported by nobody; the
 * notification core knows channels only through {@code notify.Channel}.
 */
@AnalyzeClasses(packages = "io.greenlight", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {

  @ArchTest
  static final ArchRule noCycles = slices().matching("io.greenlight.(*)..").should().beFreeOfCycles();

  /** docs/architecture.md, "Who may import whom": each layer imports only the layers below it. */
  @ArchTest
  static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
      .layer("Entry points").definedBy("io.greenlight.intake..", "io.greenlight.audit..", "io.greenlight.demo..")
      .layer("Channels").definedBy("io.greenlight.sms..", "io.greenlight.slack..", "io.greenlight.voice..",
          "io.greenlight.circleci..", "io.greenlight.github..", "io.greenlight.gitlab..", "io.greenlight.changes..",
          "io.greenlight.review..")
      .layer("Rules").definedBy("io.greenlight.notify..", "io.greenlight.answer..", "io.greenlight.gate..")
      .layer("Services").definedBy("io.greenlight.routing..", "io.greenlight.oncall..", "io.greenlight.metrics..",
          "io.greenlight.history..", "io.greenlight.database..", "io.greenlight.twilio..", "io.greenlight.freeze..")
      .layer("Leaves").definedBy("io.greenlight.approval..", "io.greenlight.directory..", "io.greenlight.security..",
          "io.greenlight.engine..", "io.greenlight.web..", "io.greenlight.secrets..")
      .whereLayer("Entry points").mayNotBeAccessedByAnyLayer()
      .whereLayer("Channels").mayOnlyBeAccessedByLayers("Entry points")
      .whereLayer("Rules").mayOnlyBeAccessedByLayers("Entry points", "Channels")
      .whereLayer("Services").mayOnlyBeAccessedByLayers("Entry points", "Channels", "Rules");

  /** Channels are side by side: each plugs into notify and answers through answer, none needs another. */
  @ArchTest
  static final ArchRule channelsAreIndependent = slices().matching("io.greenlight.(sms|slack|voice)..")
      .should().notDependOnEachOther()
      .because("a channel plugs in by implementing notify.Channel and answers through answer.Answering, not through another channel");

  /** Gate kinds are side by side: each is one package behind approval.GateKind, none needs another. */
  @ArchTest
  static final ArchRule gateKindsAreIndependent = slices().matching("io.greenlight.(circleci|github|gitlab)..")
      .should().notDependOnEachOther()
      .because("a gate kind plugs in by implementing approval.GateKind, not through another kind");

  /**
   * Nothing names a gate kind's package but the change context (GitHub's compare API, for the projects of any kind on
   * GitHub): requests come in through {@code approval.GateKind} (the API) and {@code approval.SignedRequests} (a kind's
   * own webhook), so adding a kind touches nothing outside its package.
   */
  @ArchTest
  static final ArchRule gateKindsAreKnownAsGateKinds = noClasses()
      .that().resideOutsideOfPackages("io.greenlight.circleci..", "io.greenlight.github..", "io.greenlight.gitlab..",
          "io.greenlight.changes..")
      .should().dependOnClassesThat().resideInAnyPackage("io.greenlight.circleci..", "io.greenlight.github..",
          "io.greenlight.gitlab..")
      .because("the steps, the words and the read side know a request's kind only as approval.GateKind");

  /**
   * Only the answer entry completes decision tasks: every rule, refusal and retry is in one place. (Tasklist completes
   * them in the engine, where answer.RecordDecision applies the same rules.)
   */
  @ArchTest
  static final ArchRule onlyTheAnswerEntryCompletesTasks = noClasses().that().resideOutsideOfPackage("io.greenlight.answer..")
      .should().callMethodWhere(target(owner(assignableTo(TaskService.class))).and(target(nameMatching("complete|resolveTask|handleBpmnError|handleEscalation"))))
      .orShould().callMethodWhere(target(owner(assignableTo(FormService.class))).and(target(nameMatching("submitTaskForm"))))
      .because("an answer that bypassed answer.Answering would bypass its rules, limits and refusal record");

  @ArchTest
  static final ArchRule vocabularyIsALeaf = noClasses().that().resideInAPackage("io.greenlight.approval..")
      .should().dependOnClassesThat(resideInAPackage("io.greenlight..").and(not(resideInAPackage("io.greenlight.approval.."))))
      .because("the request's vocabulary is shared by every feature and so may depend on none");

  @ArchTest
  static final ArchRule nothingImportsTheReadSide = noClasses().that().resideOutsideOfPackage("io.greenlight.audit..")
      .should().dependOnClassesThat().resideInAPackage("io.greenlight.audit..")
      .because("the read side (history, audit, lists, pages) only reads; the steps that change requests must not need it");

  @ArchTest
  static final ArchRule notificationKnowsNoChannel = noClasses().that().resideInAPackage("io.greenlight.notify..")
      .should().dependOnClassesThat().resideInAnyPackage("io.greenlight.sms..", "io.greenlight.slack..")
      .because("a channel plugs in by implementing notify.Channel; the process's notification steps do not name it");

  /** The channels word the change a request deploys with approval.ChangeSummary; changes must not need them. */
  @ArchTest
  static final ArchRule changeContextKnowsNoChannel = noClasses().that().resideInAPackage("io.greenlight.changes..")
      .should().dependOnClassesThat().resideInAnyPackage("io.greenlight.sms..", "io.greenlight.slack..", "io.greenlight.voice..",
          "io.greenlight.notify..", "io.greenlight.answer..")
      .because("every channel may name the change being deployed; the change context must not depend back on any of them");

  @ArchTest
  static final ArchRule answeringKnowsNoChannel = noClasses().that().resideInAPackage("io.greenlight.answer..")
      .should().dependOnClassesThat().resideInAnyPackage("io.greenlight.sms..", "io.greenlight.slack..", "io.greenlight.voice..",
          "io.greenlight.notify..")
      .because("every channel answers through decision; it must not depend back on any of them");
}
