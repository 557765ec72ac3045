package io.greenlight.database;

import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code greenlight.database.*}: how the embedded H2 file is kept compact ({@link H2FileMaintenance}): a round every
 * {@code maintenance-interval} (150 ms), rewriting the chunks at most {@code rewrite-below-fill} per cent live (50),
 * {@code rewrite-per-call} (4 MB) at a time for at most {@code maintenance-budget} (50 ms) of it; chunks moved towards the front while the file is less than
 * {@code move-below-fill} per cent used (80) and nothing was committed for {@code move-when-idle-for} (300 ms),
 * {@code move-per-time} (16 MB) at a time, at most every {@code move-every} (every round); under sustained load, when
 * the file is less than {@code busy-move-below-fill} per cent used (80), {@code busy-move-per-time} (4 MB) at a time
 * at most every {@code busy-move-every} (1 s), even though commits wait while chunks move;
 * nothing below {@code maintain-above} (16 MB), and no rewriting while the file holds at most {@code rewrite-above} (2.0)
 * times its live data; the file forced to disk every {@code sync-every} (off).
 */
@ConfigurationProperties("greenlight.database")
public record DatabaseProperties(Duration maintenanceInterval, Duration maintenanceBudget, DataSize rewritePerCall,
                                 int moveBelowFill, DataSize movePerTime, Duration moveEvery, Duration syncEvery,
                                 DataSize maintainAbove, Duration moveWhenIdleFor, int busyMoveBelowFill,
                                 DataSize busyMovePerTime, Duration busyMoveEvery, int rewriteBelowFill, double rewriteAbove) {

  @ConstructorBinding
  public DatabaseProperties {
    maintenanceInterval = maintenanceInterval == null ? Duration.ofMillis(150) : maintenanceInterval;
    maintenanceBudget = maintenanceBudget == null ? Duration.ofMillis(50) : maintenanceBudget;
    rewritePerCall = rewritePerCall == null ? DataSize.ofMegabytes(4) : rewritePerCall;
    moveBelowFill = moveBelowFill == 0 ? 80 : moveBelowFill;
    movePerTime = movePerTime == null ? DataSize.ofMegabytes(16) : movePerTime;
    moveEvery = moveEvery == null ? Duration.ZERO : moveEvery;
    syncEvery = syncEvery == null ? Duration.ZERO : syncEvery;
    maintainAbove = maintainAbove == null ? DataSize.ofMegabytes(16) : maintainAbove;
    moveWhenIdleFor = moveWhenIdleFor == null ? Duration.ofMillis(300) : moveWhenIdleFor;
    busyMoveBelowFill = busyMoveBelowFill == 0 ? 80 : busyMoveBelowFill;
    busyMovePerTime = busyMovePerTime == null ? DataSize.ofMegabytes(4) : busyMovePerTime;
    busyMoveEvery = busyMoveEvery == null ? Duration.ofSeconds(1) : busyMoveEvery;
    rewriteBelowFill = rewriteBelowFill == 0 ? 50 : rewriteBelowFill;
    rewriteAbove = rewriteAbove == 0 ? 2.0 : rewriteAbove;
  }
}
