package io.greenlight.freeze;

import static io.greenlight.approval.ApprovalVariables.PROJECT_SLUG;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Freezes declared through the API, in {@code greenlight_freeze}. Ending one sets its end; no row is ever deleted here
 * (the history's retention removes them, {@code history.OwnTablesCleanup}).
 */
@Component
class DeclaredFreezes {

  private static final String COLUMNS = "id, projects, starts_at, ends_at, reason, created_by";

  private final JdbcTemplate jdbc;

  DeclaredFreezes(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Freeze freeze, Instant createdAt) {
    jdbc.update("insert into greenlight_freeze (id, projects, starts_at, ends_at, reason, created_by, created_at) "
            + "values (?, ?, ?, ?, ?, ?, ?)",
        freeze.id(), freeze.projects(), utc(freeze.startsAt()), utc(freeze.endsAt()), freeze.reason(), freeze.createdBy(),
        utc(createdAt));
  }

  Optional<Freeze> find(String id) {
    return jdbc.query("select " + COLUMNS + " from greenlight_freeze where id = ?", DeclaredFreezes::freeze, id)
        .stream().findFirst();
  }

  /** The freezes in force at {@code at}. */
  List<Freeze> activeAt(Instant at) {
    return jdbc.query("select " + COLUMNS + " from greenlight_freeze where ends_at > ? and starts_at <= ?",
        DeclaredFreezes::freeze, utc(at), utc(at));
  }

  /** The freezes in force at {@code at} and those still to come, by start. */
  List<Freeze> notEndedAt(Instant at) {
    return jdbc.query("select " + COLUMNS + " from greenlight_freeze where ends_at > ? order by starts_at, id",
        DeclaredFreezes::freeze, utc(at));
  }

  /**
   * Ends the freeze at {@code at} (by {@code endedBy}) if it had not ended by then: whether it did. A freeze still to
   * come ends before it began, which is to say it never applies.
   */
  boolean end(String id, Instant at, String endedBy) {
    return jdbc.update("update greenlight_freeze set ends_at = ?, ended_by = ? where id = ? and ends_at > ?",
        utc(at), endedBy, id, utc(at)) > 0;
  }

  /**
   * The project slugs Greenlight has seen: those of requests in the engine's history, and of gates with an approved
   * deploy (kept beyond the history's retention). Compared without case, as slugs are.
   */
  TreeSet<String> knownProjects() {
    TreeSet<String> projects = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    projects.addAll(jdbc.queryForList("select distinct TEXT_ from ACT_HI_VARINST where NAME_ = ? and TEXT_ is not null",
        String.class, PROJECT_SLUG));
    projects.addAll(jdbc.queryForList("select distinct project_slug from greenlight_last_approved", String.class));
    return projects;
  }

  private static Freeze freeze(ResultSet row, int number) throws SQLException {
    return new Freeze(row.getString("id"), row.getString("projects"), instant(row, "starts_at"), instant(row, "ends_at"),
        row.getString("reason"), row.getString("created_by"), false);
  }

  private static Instant instant(ResultSet row, String column) throws SQLException {
    return row.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
