package io.greenlight.routing;

import io.greenlight.directory.Directory;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Whether the routing table names approvers the directory does not know. Such a row fails every request it routes
 * (visibly, at once), but the mistake is the process owner's or the admin's, and it should be seen before a pipeline
 * meets it: at start-up, and within a minute of a directory reload or a new routing table, a warning is logged, and
 * {@value #UNKNOWN_APPROVERS} counts the unknown names.
 */
@Component
public class RoutingCheck implements MeterBinder {

  public static final String UNKNOWN_APPROVERS = "greenlight.routing.unknown.approvers";

  private static final Logger log = LoggerFactory.getLogger(RoutingCheck.class);

  private final RoutingTable routing;
  private final Directory directory;
  private final AtomicReference<List<String>> unknown = new AtomicReference<>(List.of());

  public RoutingCheck(RoutingTable routing, Directory directory) {
    this.routing = routing;
    this.directory = directory;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(UNKNOWN_APPROVERS, () -> unknown.get().size())
        .description("Approvers the routing table names that the directory has no group or user for (each fails the requests it routes)")
        .register(registry);
  }

  @EventListener(ApplicationReadyEvent.class)
  public void atStart() {
    check();
  }

  @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
  public void now() {
    check();
  }

  /** The unknown names, logged when they change. */
  public List<String> check() {
    List<String> found = routing.namedApprovers().stream()
        .filter(name -> directory.group(name).isEmpty() && directory.user(name).isEmpty()).toList();
    List<String> before = unknown.getAndSet(found);
    if (!found.isEmpty() && !found.equals(before)) {
      log.warn("The routing table (approver-routing) names approvers the directory does not have: {}. Every request it routes "
          + "to them fails at once; add them to the directory file or change the table.", found);
    } else if (found.isEmpty() && !before.isEmpty()) {
      log.info("The routing table's approvers are all in the directory again.");
    }
    return found;
  }
}
