package io.greenlight.process;

import io.greenlight.directory.Directory;
import io.greenlight.directory.DirectoryFile;
import io.greenlight.directory.PersonalTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.ClassPathBeanDefinitionScanner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Controller;

/**
 * The beans the diagram names ({@code ${findApprovalJob}}, {@code ${approvalCodes.create(execution)}} …), made by Spring
 * from Greenlight's own classes and configurations, bound from {@code greenlight.*} settings as in the application: a
 * new step is found by its {@code @Component} name, not wired a second time here. The scenario supplies what the
 * application gets elsewhere: the engine and its database, the directory, and the settings that point at the fakes.
 * Every bean is lazy, so only what the models name (and what that needs) is made; each is registered by name with
 * Camunda's {@link Mocks}, which the scenario engine's expression manager reads.
 */
final class ScenarioBeans implements AutoCloseable {

  /** The packages of the steps; entry points (controllers) and the directory's loading from its file stay out. */
  private static final String[] STEP_PACKAGES = {"io.greenlight.approval", "io.greenlight.circleci", "io.greenlight.answer", "io.greenlight.changes",
      "io.greenlight.directory", "io.greenlight.freeze", "io.greenlight.gate", "io.greenlight.github", "io.greenlight.gitlab", "io.greenlight.metrics", "io.greenlight.notify", "io.greenlight.oncall", "io.greenlight.review", "io.greenlight.routing",
      "io.greenlight.secrets", "io.greenlight.slack", "io.greenlight.sms", "io.greenlight.twilio", "io.greenlight.voice"};
  /** The shipped models, and the earlier model whose requests the shipped code still carries on. */
  private static final String[] MODELS = {"bpmn/deployment-approval.bpmn", "bpmn/approver-routing.dmn", "bpmn/emergency-deploy-review.bpmn",
      "earlier-models/deployment-approval-without-levels.bpmn"};
  private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{([^}]*)}");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /** Read once: every test registers the same names. */
  private static final Set<String> NAMED_IN_THE_MODELS = namedInTheModels();

  private final AnnotationConfigApplicationContext context;

  private ScenarioBeans(AnnotationConfigApplicationContext context) {
    this.context = context;
  }

  /** Makes the beans with these settings and registers those the models name; the personal tokens of the file stored. */
  static ScenarioBeans register(ProcessEngine engine, Directory directory, DirectoryFile directoryFile,
                                Map<String, Object> settings) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("scenario", settings));
    // Settings are converted as in the application (durations such as P400D, sizes such as 1MB).
    context.getBeanFactory().setConversionService(ApplicationConversionService.getSharedInstance());
    ClassPathBeanDefinitionScanner scanner = new ClassPathBeanDefinitionScanner(context);
    scanner.addExcludeFilter(new AnnotationTypeFilter(Controller.class));
    scanner.addExcludeFilter((reader, factory) -> reader.getClassMetadata().getClassName()
        .equals("io.greenlight.directory.DirectoryConfiguration"));
    scanner.addExcludeFilter(new AssignableTypeFilter(org.camunda.bpm.engine.impl.cfg.ProcessEnginePlugin.class));
    scanner.scan(STEP_PACKAGES);
    DataSource database = engine.getProcessEngineConfiguration().getDataSource();
    context.registerBean(ProcessEngine.class, () -> engine);
    context.registerBean(org.camunda.bpm.engine.RuntimeService.class, engine::getRuntimeService);
    context.registerBean(org.camunda.bpm.engine.TaskService.class, engine::getTaskService);
    context.registerBean(org.camunda.bpm.engine.HistoryService.class, engine::getHistoryService);
    context.registerBean(org.camunda.bpm.engine.IdentityService.class, engine::getIdentityService);
    context.registerBean(org.camunda.bpm.engine.RepositoryService.class, engine::getRepositoryService);
    context.registerBean(org.camunda.bpm.engine.ManagementService.class, engine::getManagementService);
    context.registerBean(DataSource.class, () -> database);
    context.registerBean(JdbcTemplate.class, () -> new JdbcTemplate(database));
    context.registerBean(DataSourceTransactionManager.class, () -> new DataSourceTransactionManager(database));
    context.registerBean(Directory.class, () -> directory);
    context.addBeanFactoryPostProcessor(factory -> {
      for (String name : factory.getBeanDefinitionNames()) {
        factory.getBeanDefinition(name).setLazyInit(true);
      }
    });
    context.refresh();
    context.getBean(PersonalTokens.class).replaceWith(directoryFile);
    for (String name : NAMED_IN_THE_MODELS) {
      if (context.containsBean(name)) {
        Mocks.register(name, context.getBean(name));
      }
    }
    return new ScenarioBeans(context);
  }

  /** The names in the models' expressions: bean names, and variables, methods and words (which are no beans). */
  private static Set<String> namedInTheModels() {
    Set<String> names = new TreeSet<>();
    for (String model : MODELS) {
      try (InputStream in = ScenarioBeans.class.getClassLoader().getResourceAsStream(model)) {
        if (in == null) {
          throw new IllegalStateException("No " + model + " on the class path");
        }
        Matcher expression = EXPRESSION.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (expression.find()) {
          Matcher name = IDENTIFIER.matcher(expression.group(1));
          while (name.find()) {
            names.add(name.group());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return names;
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
