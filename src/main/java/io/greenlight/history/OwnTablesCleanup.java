package io.greenlight.history;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Greenlight's own tables follow the same retention as the engine's history: the SMS messages already answered
 * (kept so that Twilio's retries decide nothing twice) go once the retention has passed; a code or a CircleCI call
 * attempt left behind by a request deleted without its end listeners (in Cockpit, say) goes too, and so does a declared
 * freeze once the retention has passed since it ended. Refusal records are comments of the engine's history and are
 * removed with their request. Every node may run it: deleting is idempotent.
 */
public class OwnTablesCleanup {

  private static final Logger log = LoggerFactory.getLogger(OwnTablesCleanup.class);

  private final JdbcTemplate jdbc;
  private final Duration retention;

  public OwnTablesCleanup(JdbcTemplate jdbc, HistoryProperties properties) {
    this.jdbc = jdbc;
    this.retention = properties.retention();
  }

  /** Hourly: a few rows at a time, never a long lock. */
  @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
  public void removeWhatIsPastRetention() {
    Timestamp before = new Timestamp(ClockUtil.getCurrentTime().getTime() - retention.toMillis());
    int messages = jdbc.update("delete from greenlight_inbound_sms where received_at < ?", before);
    int codes = jdbc.update("delete from greenlight_approval_code c where c.reserved_at < ? and not exists "
        + "(select 1 from ACT_RU_EXECUTION e where e.PROC_INST_ID_ = c.process_instance_id)", before);
    int attempts = jdbc.update("delete from greenlight_circleci_attempt a where a.attempted_at < ? and not exists "
        + "(select 1 from ACT_RU_EXECUTION e where e.PROC_INST_ID_ = a.process_instance_id)", before);
    int deliveries = jdbc.update("delete from greenlight_answer_delivery where received_at < ?", before);
    int lateReports = jdbc.update("delete from greenlight_late_report where reported_at < ?", before);
    int freezes = jdbc.update("delete from greenlight_freeze where ends_at < ?", before.toInstant().atOffset(ZoneOffset.UTC));
    if (messages + codes + attempts + deliveries + lateReports + freezes > 0) {
      log.info("Removed what is past the retention of {} days: {} answered SMS, {} codes and {} call attempts of ended "
          + "requests, {} answer deliveries, {} late reports, {} freezes ended", retention.toDays(), messages, codes,
          attempts, deliveries, lateReports, freezes);
    }
  }
}
