package io.greenlight.answer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Anyone in the directory may answer any request, and be refused, as often as they like: a person refused
 * {@code max-refused} times within {@code refusal-window} ({@link AnswerProperties}) is not listened to for the rest of
 * it — their answers are turned away before anything is looked up, and not recorded. Counted on this node.
 */
@Component
public class RefusalLimit {

  private static final Logger log = LoggerFactory.getLogger(RefusalLimit.class);

  private volatile int mostRefused;
  private volatile Duration window;
  /** When each person was refused lately, newest last; at most {@link #mostRefused} each. */
  private final Map<String, Deque<Instant>> lately = new ConcurrentHashMap<>();

  public RefusalLimit(AnswerProperties settings) {
    this.mostRefused = settings.maxRefused();
    this.window = settings.refusalWindow();
  }

  public boolean tooManyLately(String userId) {
    Deque<Instant> times = userId == null ? null : lately.get(userId);
    if (times == null) {
      return false;
    }
    synchronized (times) {
      forgetOld(times);
      return times.size() >= mostRefused;
    }
  }

  /** What a person is told when they are turned away. */
  public String message() {
    return "Your last " + mostRefused + " answers were refused; answers from you are not taken for up to "
        + Math.max(1, window.toMinutes()) + " minutes. Nothing was recorded.";
  }

  void noteRefusal(String userId) {
    if (userId == null) {
      return;
    }
    Deque<Instant> times = lately.computeIfAbsent(userId, id -> new ArrayDeque<>());
    synchronized (times) {
      forgetOld(times);
      times.addLast(ClockUtil.getCurrentTime().toInstant());
      if (times.size() == mostRefused) {
        log.warn("{} was refused {} times within {}: their answers are turned away for a while", userId, mostRefused, window);
      }
      while (times.size() > mostRefused) {
        times.removeFirst();
      }
    }
  }

  /** For tests: other limits, and nobody refused lately. */
  void reset(int most, Duration within) {
    mostRefused = most;
    window = within;
    lately.clear();
  }

  private void forgetOld(Deque<Instant> times) {
    Instant since = ClockUtil.getCurrentTime().toInstant().minus(window);
    while (!times.isEmpty() && times.peekFirst().isBefore(since)) {
      times.removeFirst();
    }
  }
}
