package io.greenlight.audit;

import io.greenlight.web.ApiException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;

/**
 * The ends of a time range as people write them in a query: a whole UTC day ({@code 2026-11-03}) or an instant
 * ({@code 2026-11-03T09:00:00Z}). A day as the end of a range includes that day.
 */
final class TimeRange {

  private TimeRange() {}

  static Instant start(String parameter, String text) {
    return parse(parameter, text, false);
  }

  static Instant end(String parameter, String text) {
    return parse(parameter, text, true);
  }

  private static Instant parse(String parameter, String text, boolean end) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String trimmed = text.trim();
    try {
      if (trimmed.length() == 10) {
        LocalDate day = LocalDate.parse(trimmed);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(trimmed);
    } catch (DateTimeParseException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_parameter", parameter,
          parameter + " must be a day such as 2026-11-03 or an instant such as 2026-11-03T09:00:00Z.");
    }
  }
}
