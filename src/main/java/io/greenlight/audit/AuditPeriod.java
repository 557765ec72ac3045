package io.greenlight.audit;

import io.greenlight.directory.ProjectGlob;
import io.greenlight.web.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * What a period export asks for: the requests made from the UTC day {@code from} to the UTC day {@code to}, both
 * included, of the projects {@code project} covers (a glob over project slugs as API clients' {@code projects} are
 * written: {@code *} within a segment, {@code **} across; null for every project).
 */
record AuditPeriod(LocalDate from, LocalDate to, String project) {

  /** A leap year: a year's export in one call, anything longer in parts (each part is read again from the history). */
  static final int MOST_DAYS = 366;
  private static final String GLOB = "^[A-Za-z0-9_.*/-]{1,200}$";

  /** The period from query parameters as people write them; a missing or bad one is a 400 naming it. */
  static AuditPeriod parse(String from, String to, String project) {
    LocalDate first = day("from", from);
    LocalDate last = day("to", to);
    if (last.isBefore(first)) {
      throw invalid("to", "to must be the same day as from or later.");
    }
    if (ChronoUnit.DAYS.between(first, last) + 1 > MOST_DAYS) {
      throw invalid("to", "A period may span at most " + MOST_DAYS + " days; export a longer one in parts.");
    }
    String glob = project == null || project.isBlank() ? null : project.trim();
    if (glob != null && !glob.matches(GLOB)) {
      throw invalid("project", "project must be a project slug or a glob such as gh/acme/* or gh/acme/**.");
    }
    return new AuditPeriod(first, last, glob);
  }

  /** The first instant of the period. */
  Instant start() {
    return from.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The first instant after the period. */
  Instant end() {
    return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Whether the requests of {@code projectSlug} belong in the export. */
  Predicate<String> projects() {
    if (project == null) {
      return slug -> true;
    }
    Pattern glob = ProjectGlob.pattern(project);
    return slug -> slug != null && glob.matcher(slug).matches();
  }

  private static LocalDate day(String parameter, String text) {
    if (text == null || text.isBlank()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "missing_parameter", parameter,
          "Query parameter " + parameter + " is required: a UTC day such as 2026-11-03.");
    }
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw invalid(parameter, parameter + " must be a UTC day such as 2026-11-03.");
    }
  }

  private static ApiException invalid(String parameter, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", parameter, message);
  }
}
