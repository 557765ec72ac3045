package io.greenlight.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Declared and recurring freezes together, on Greenlight's own migrations: which freeze a project is under at a
 * moment, ending one, what is listed. On H2; {@code -Dgreenlight.test.postgres=jdbc:postgresql://127.0.0.1:5432/test}
 * runs it on PostgreSQL instead (in a schema of its own, dropped afterwards).
 */
class FreezeScheduleTest {

  private static final String POSTGRES = System.getProperty("greenlight.test.postgres");
  private static final String SCHEMA = "freeze_schedule_test_" + UUID.randomUUID().toString().substring(0, 8);
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final FreezeProperties.Recurring BERLIN_BUSINESS_HOURS = new FreezeProperties.Recurring(
      "gh/acme/**", "0 0 9 * * MON-FRI", Duration.ofHours(8), "Europe/Berlin", "Business hours");

  private static DataSource dataSource;
  private static JdbcTemplate jdbc;

  private final List<Object> published = new ArrayList<>();
  private FreezeSchedule schedule;

  @BeforeAll
  static void migrate() {
    dataSource = POSTGRES == null
        ? new DriverManagerDataSource("jdbc:h2:mem:" + SCHEMA + ";DB_CLOSE_DELAY=-1", "sa", "")
        : new DriverManagerDataSource(POSTGRES + "?currentSchema=" + SCHEMA, "postgres", "");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").table("greenlight_schema_history")
        .schemas(POSTGRES == null ? new String[0] : new String[] {SCHEMA}).load().migrate();
    jdbc = new JdbcTemplate(dataSource);
    // The engine's history table, as far as the known projects are read from it.
    jdbc.execute("create table ACT_HI_VARINST (ID_ varchar(64) primary key, NAME_ varchar(255), TEXT_ varchar(4000))");
  }

  @AfterAll
  static void dropSchema() {
    if (POSTGRES != null) {
      jdbc.execute("drop schema " + SCHEMA + " cascade");
    }
  }

  @BeforeEach
  void emptySchedule() {
    jdbc.update("delete from greenlight_freeze");
    jdbc.update("delete from ACT_HI_VARINST");
    jdbc.update("delete from greenlight_last_approved");
    schedule = scheduleWith();
  }

  @Test
  void overlappingFreezesTheOneEndingLastWins() {
    schedule.declare("gh/acme/*", NOW.minusSeconds(3600), at("12:00"), "Incident 4711", "bob", NOW);
    schedule.declare("*", NOW.minusSeconds(60), at("15:00"), "Release of 2.4", "bob", NOW);
    schedule.declare("gh/acme/shop", NOW, at("11:00"), "Database migration", "bob", NOW);

    assertThat(schedule.activeFor("gh/acme/shop", NOW)).contains(new ActiveFreeze("Release of 2.4", at("15:00")));
    assertThat(schedule.covering("gh/acme/shop", NOW)).extracting(Freeze::reason)
        .containsExactly("Incident 4711", "Release of 2.4", "Database migration");
    // At 14:00 only the release freeze is left; at 15:00 deploys are free again.
    assertThat(schedule.activeFor("gh/acme/shop", at("14:00"))).map(ActiveFreeze::reason).contains("Release of 2.4");
    assertThat(schedule.activeFor("gh/acme/shop", at("15:00"))).isEmpty();
  }

  @Test
  void aRecurringFreezeOverlappingADeclaredOneCountsAlike() {
    schedule = scheduleWith(BERLIN_BUSINESS_HOURS);
    schedule.declare("gh/acme/shop", NOW.minusSeconds(60), at("12:00"), "Incident 4711", "bob", NOW);

    // Monday 2 March 2026, 11:00 in Berlin: business hours until 17:00 Berlin (16:00 UTC) end after the incident's.
    assertThat(schedule.activeFor("gh/acme/shop", NOW)).contains(new ActiveFreeze("Business hours", at("16:00")));
    assertThat(schedule.activeFor("gh/acme/api", NOW)).contains(new ActiveFreeze("Business hours", at("16:00")));
    assertThat(schedule.activeFor("gh/other/api", NOW)).as("not covered by either").isEmpty();
  }

  @Test
  void aGlobCoversTheProjectsItMatchesOnly() {
    schedule.declare("gh/acme/*", NOW, at("12:00"), "acme, one segment", "bob", NOW);

    assertThat(schedule.activeFor("gh/acme/shop", NOW)).isPresent();
    assertThat(schedule.activeFor("GH/ACME/Shop", NOW)).as("without case").isPresent();
    assertThat(schedule.activeFor("gh/acme-labs/shop", NOW)).isEmpty();
    assertThat(schedule.activeFor("gh/other/shop", NOW)).isEmpty();
    assertThat(schedule.activeFor("gl/acme/group/app", NOW)).isEmpty();

    schedule.declare("gl/acme/**", NOW, at("12:00"), "acme on GitLab, any depth", "bob", NOW);
    assertThat(schedule.activeFor("gl/acme/group/sub/app", NOW)).map(ActiveFreeze::reason).contains("acme on GitLab, any depth");
    assertThat(schedule.activeFor("gl/other/app", NOW)).isEmpty();

    schedule.declare("*", NOW, at("12:00"), "everything", "bob", NOW);
    assertThat(schedule.activeFor("gl/other/app", NOW)).map(ActiveFreeze::reason).contains("everything");
    assertThat(schedule.activeFor("bb/anyone/anything", NOW)).isPresent();
  }

  @Test
  void aFreezeIsInForceFromItsStartUntilItsEnd() {
    schedule.declare("*", at("11:00"), at("12:00"), "Release", "bob", NOW);

    assertThat(schedule.activeFor("gh/acme/shop", NOW)).as("still to come").isEmpty();
    assertThat(schedule.activeFor("gh/acme/shop", at("11:00"))).as("its start, included").isPresent();
    assertThat(schedule.activeFor("gh/acme/shop", at("11:59"))).isPresent();
    assertThat(schedule.activeFor("gh/acme/shop", at("12:00"))).as("its end, excluded").isEmpty();
  }

  @Test
  void aRecurringFreezeFollowsTheMomentAsked() {
    schedule = scheduleWith(BERLIN_BUSINESS_HOURS);

    assertThat(schedule.activeFor("gh/acme/shop", Instant.parse("2026-03-02T07:59:00Z"))).as("08:59 in Berlin").isEmpty();
    assertThat(schedule.activeFor("gh/acme/shop", Instant.parse("2026-03-02T08:00:00Z"))).as("09:00 in Berlin")
        .contains(new ActiveFreeze("Business hours", Instant.parse("2026-03-02T16:00:00Z")));
    assertThat(schedule.activeFor("gh/acme/shop", Instant.parse("2026-03-02T16:00:00Z"))).as("17:00 in Berlin").isEmpty();
    assertThat(schedule.activeFor("gh/acme/shop", Instant.parse("2026-03-07T10:00:00Z"))).as("Saturday").isEmpty();
  }

  @Test
  void endingAFreezeEndsItNowAndKeepsIt() {
    Freeze freeze = schedule.declare("gh/acme/*", NOW.minusSeconds(3600), at("18:00"), "Incident 4711", "bob", NOW);
    Freeze toCome = schedule.declare("gh/acme/*", at("20:00"), at("22:00"), "Release", "bob", NOW);
    published.clear();

    assertThat(schedule.end(freeze.id(), "ivan", at("10:30"))).isEqualTo(FreezeSchedule.Ending.ENDED);
    assertThat(schedule.end(toCome.id(), "ivan", at("10:30"))).isEqualTo(FreezeSchedule.Ending.ENDED);

    assertThat(schedule.activeFor("gh/acme/shop", at("10:29"))).as("before it was ended").isPresent();
    assertThat(schedule.activeFor("gh/acme/shop", at("10:30"))).isEmpty();
    assertThat(schedule.activeFor("gh/acme/shop", at("21:00"))).as("one to come never applies").isEmpty();
    assertThat(schedule.find(freeze.id(), at("10:30"))).map(Freeze::endsAt).contains(at("10:30"));
    assertThat(jdbc.queryForObject("select ended_by from greenlight_freeze where id = ?", String.class, freeze.id()))
        .isEqualTo("ivan");
    assertThat(published).containsExactly(new FreezesChanged("gh/acme/*"), new FreezesChanged("gh/acme/*"));

    assertThat(schedule.end(freeze.id(), "ivan", at("11:00"))).isEqualTo(FreezeSchedule.Ending.ALREADY_ENDED);
    assertThat(schedule.find(freeze.id(), at("11:00"))).map(Freeze::endsAt).as("unchanged").contains(at("10:30"));
    assertThat(schedule.end(UUID.randomUUID().toString(), "ivan", NOW)).isEqualTo(FreezeSchedule.Ending.NOT_FOUND);
    assertThat(schedule.end("not-an-id", "ivan", NOW)).isEqualTo(FreezeSchedule.Ending.NOT_FOUND);
    assertThat(published).hasSize(2);
  }

  @Test
  void aRecurringFreezeCannotBeEndedHere() {
    schedule = scheduleWith(BERLIN_BUSINESS_HOURS);

    assertThat(schedule.end("recurring-0", "bob", NOW)).isEqualTo(FreezeSchedule.Ending.RECURRING);
    assertThat(schedule.end("recurring-1", "bob", NOW)).isEqualTo(FreezeSchedule.Ending.NOT_FOUND);
    assertThat(schedule.activeFor("gh/acme/shop", NOW)).isPresent();
  }

  @Test
  void declaringTellsTheApplication() {
    schedule.declare("gh/acme/*", NOW, at("12:00"), "Incident 4711", "bob", NOW);

    assertThat(published).containsExactly(new FreezesChanged("gh/acme/*"));
  }

  @Test
  void theListHoldsWhatIsInForceAndWhatComesByStart() {
    schedule = scheduleWith(BERLIN_BUSINESS_HOURS);
    Freeze later = schedule.declare("*", at("20:00"), at("22:00"), "Evening release", "bob", NOW);
    Freeze now = schedule.declare("gh/acme/*", NOW.minusSeconds(7200), at("12:00"), "Incident 4711", "bob", NOW);
    Freeze over = schedule.declare("*", NOW.minusSeconds(7200), at("10:30"), "Over soon", "bob", NOW);
    schedule.end(over.id(), "bob", NOW);

    assertThat(schedule.activeAndUpcoming(NOW)).extracting(Freeze::id)
        .containsExactly(now.id(), "recurring-0", later.id());
    // Saturday: the recurring freeze's next occurrence is Monday's.
    assertThat(schedule.activeAndUpcoming(Instant.parse("2026-03-07T10:00:00Z")))
        .filteredOn(Freeze::recurring).extracting(Freeze::startsAt).containsExactly(Instant.parse("2026-03-09T08:00:00Z"));
    assertThat(schedule.activeAt(NOW)).extracting(Freeze::id).containsExactly(now.id(), "recurring-0");
  }

  @Test
  void aGlobMatchingNoProjectGreenlightHasSeenIsTold() {
    assertThat(schedule.matchesAKnownProject("*")).as("nothing seen yet").isFalse();
    jdbc.update("insert into ACT_HI_VARINST (ID_, NAME_, TEXT_) values ('1', 'projectSlug', 'gh/acme/shop')");
    jdbc.update("insert into ACT_HI_VARINST (ID_, NAME_, TEXT_) values ('2', 'branch', 'gh/other/branch-name')");
    jdbc.update("insert into greenlight_last_approved (project_slug, approval_job, commit_sha, request_id, approvers, approved_at) "
        + "values ('gl/group/sub/app', 'production', 'abc1234', 'r1', 'alice', current_timestamp)");

    assertThat(schedule.matchesAKnownProject("*")).isTrue();
    assertThat(schedule.matchesAKnownProject("gh/acme/*")).isTrue();
    assertThat(schedule.matchesAKnownProject("GH/ACME/SHOP")).isTrue();
    assertThat(schedule.matchesAKnownProject("gl/group/**")).isTrue();
    assertThat(schedule.matchesAKnownProject("gh/acme/shpo")).isFalse();
    assertThat(schedule.matchesAKnownProject("gh/other/*")).as("another variable's value is no project").isFalse();
  }

  private FreezeSchedule scheduleWith(FreezeProperties.Recurring... recurring) {
    FreezeProperties properties = new FreezeProperties("release-managers", "incident-commanders", Duration.ofDays(2), List.of(recurring));
    return new FreezeSchedule(new DeclaredFreezes(jdbc), properties, published::add);
  }

  /** A time on Monday 2 March 2026, UTC. */
  private static Instant at(String time) {
    return Instant.parse("2026-03-02T" + time + ":00Z");
  }
}
