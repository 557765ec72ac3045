package io.greenlight.oncall;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.greenlight.directory.Directory;
import io.greenlight.web.ApiException;
import io.greenlight.web.Formats;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/oncall/{group}}: who is on call now, until when, and who is next. */
@RestController
@Tag(name = "Approvers")
class OnCallController {

  private final OnCallSchedule schedule;
  private final Directory directory;

  OnCallController(OnCallSchedule schedule, Directory directory) {
    this.schedule = schedule;
    this.directory = directory;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record OnCallView(String group, boolean rotation, List<String> onCall, Instant since, Instant until, Next next) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Next(String user, Instant from) {}

  @Operation(operationId = "onCall", summary = "Who of a group is on call now, and who is next",
      security = @SecurityRequirement(name = "directoryUser"))
  @GetMapping(path = "/api/oncall/{group}", produces = "application/json")
  OnCallView onCall(@PathVariable @Pattern(regexp = Formats.DIRECTORY_ID, message = "must be a group id of the directory") String group) {
    if (directory.group(group).isEmpty()) {
      throw ApiException.notFound("Group " + group);
    }
    Instant now = ClockUtil.getCurrentTime().toInstant();
    return schedule.shift(group, now)
        .map(shift -> {
          Rotation.Shift next = schedule.nextShift(group, now).orElseThrow();
          return new OnCallView(group, true, List.of(shift.member()), shift.from(), shift.until(), new Next(next.member(), next.from()));
        })
        .orElseGet(() -> new OnCallView(group, false, schedule.onCall(group, now), null, null, null));
  }
}
