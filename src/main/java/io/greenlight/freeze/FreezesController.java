package io.greenlight.freeze;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.greenlight.directory.Directory;
import io.greenlight.security.CurrentCaller;
import io.greenlight.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/freezes}: declare a freeze, list those in force and to come, end one early. Any directory user may read;
 * admins and members of {@code greenlight.freezes.managers-group} may declare and end. "Now" is the engine's clock.
 */
@RestController
@Tag(name = "Freezes")
class FreezesController {

  static final String PATH = "/api/freezes";
  /** A declared freeze's id (a UUID) or a recurring one's ({@code recurring-<n>}). */
  static final String ID = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|recurring-[0-9]{1,4})$";
  private static final String ID_MESSAGE = "must be a freeze id (a UUID, or recurring-<n>)";

  private final FreezeSchedule schedule;
  private final Directory directory;
  private final FreezeProperties properties;

  FreezesController(FreezeSchedule schedule, Directory directory, FreezeProperties properties) {
    this.schedule = schedule;
    this.directory = directory;
    this.properties = properties;
  }

  /** A freeze as the API shows it; {@code warnings} only in the answer that declared it, when there are any. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record FreezeView(String id, String projects, Instant startsAt, Instant endsAt, String reason, String createdBy,
                    boolean recurring, boolean active, List<String> warnings) {

    static FreezeView of(Freeze freeze, Instant now, List<String> warnings) {
      return new FreezeView(freeze.id(), freeze.projects(), freeze.startsAt(), freeze.endsAt(), freeze.reason(),
          freeze.createdBy(), freeze.recurring(), freeze.activeAt(now), warnings);
    }
  }

  @ApiResponse(responseCode = "201", description = "The freeze is declared; Location names it")
  @Operation(operationId = "declareFreeze", summary = "Freeze deploys of the projects a glob covers, for a reason, until a time",
      description = "Admins and members of greenlight.freezes.managers-group (release-managers). projects: a glob over "
          + "project slugs (* within a segment, ** across; default *, every project). starts_at: default now, may lie in the "
          + "past. ends_at: after starts_at and after now. A glob that matches no project Greenlight has seen is declared "
          + "with a warning.",
      security = @SecurityRequirement(name = "directoryUser"))
  @PostMapping(path = PATH, consumes = "application/json", produces = "application/json")
  ResponseEntity<FreezeView> declare(@Valid @RequestBody FreezeBody body) {
    String user = mayManage("declare");
    Instant now = now();
    String projects = body.getProjects() == null ? Freeze.EVERY_PROJECT : body.getProjects();
    Instant startsAt = body.getStartsAt() == null ? now : instant("starts_at", body.getStartsAt());
    Instant endsAt = instant("ends_at", body.getEndsAt());
    if (!endsAt.isAfter(now)) {
      throw invalid("ends_at", "ends_at must lie in the future (it is " + now + "): a freeze that has ended stops nothing.");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw invalid("ends_at", "ends_at must be after starts_at (" + startsAt + ").");
    }
    List<String> warnings = schedule.matchesAKnownProject(projects) ? null
        : List.of("No project Greenlight knows (from the requests in its history) matches '" + projects
            + "': the freeze is declared, but check the glob (* matches within one segment, ** across: gh/acme/**).");
    Freeze freeze = schedule.declare(projects, startsAt, endsAt, body.getReason().trim(), user, now);
    return ResponseEntity.created(URI.create(PATH + "/" + freeze.id())).body(FreezeView.of(freeze, now, warnings));
  }

  @Operation(operationId = "listFreezes", summary = "The freezes in force and to come, by start",
      description = "Declared freezes that have not ended, and of each recurring one (id recurring-<n>, recurring: true) "
          + "its occurrence in force, else its next.",
      security = @SecurityRequirement(name = "directoryUser"))
  @GetMapping(path = PATH, produces = "application/json")
  List<FreezeView> list() {
    Instant now = now();
    return schedule.activeAndUpcoming(now).stream().map(freeze -> FreezeView.of(freeze, now, null)).toList();
  }

  @Operation(operationId = "getFreeze", summary = "One freeze: a declared one (also once ended), or a recurring one's occurrence in force or next",
      security = @SecurityRequirement(name = "directoryUser"))
  @GetMapping(path = PATH + "/{id}", produces = "application/json")
  FreezeView one(@PathVariable @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
    Instant now = now();
    return schedule.find(id, now).map(freeze -> FreezeView.of(freeze, now, null))
        .orElseThrow(() -> ApiException.notFound("Freeze " + id));
  }

  @ApiResponse(responseCode = "204", description = "The freeze has ended (now, or before)")
  @Operation(operationId = "endFreeze", summary = "End a declared freeze now (it is kept, for the audit)",
      description = "Admins and members of greenlight.freezes.managers-group. A freeze still to come never applies; one "
          + "that has ended already is left as it is (204). A recurring freeze is ended in the configuration (409).",
      security = @SecurityRequirement(name = "directoryUser"))
  @DeleteMapping(path = PATH + "/{id}")
  ResponseEntity<Void> end(@PathVariable @Pattern(regexp = ID, message = ID_MESSAGE) String id) {
    String user = mayManage("end");
    return switch (schedule.end(id, user, now())) {
      case ENDED, ALREADY_ENDED -> ResponseEntity.noContent().build();
      case NOT_FOUND -> throw ApiException.notFound("Freeze " + id);
      case RECURRING -> throw new ApiException(HttpStatus.CONFLICT, "recurring_freeze", null, "Freeze " + id
          + " recurs by the configuration (greenlight.freezes.recurring[" + id.substring(RecurringFreeze.ID_PREFIX.length())
          + "]): change the configuration to end it.");
    };
  }

  /** The caller, if an admin or a member of the managers' group; otherwise 403. */
  private String mayManage(String what) {
    String user = CurrentCaller.userId().orElseThrow(() -> forbidden(what));
    if (!CurrentCaller.isAdmin() && !directory.isMember(user, properties.managersGroup())) {
      throw forbidden(what);
    }
    return user;
  }

  private ApiException forbidden(String what) {
    return new ApiException(HttpStatus.FORBIDDEN, "forbidden", null, "Only admins and members of "
        + properties.managersGroup() + " may " + what + " freezes.");
  }

  private static Instant instant(String field, String text) {
    try {
      return OffsetDateTime.parse(text.trim()).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(field, field + " must be an ISO-8601 instant with its offset, such as 2026-11-03T18:00:00Z.");
    }
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_field", field, message);
  }

  private static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }
}
