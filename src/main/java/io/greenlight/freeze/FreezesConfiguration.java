package io.greenlight.freeze;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code greenlight.freezes.*}, checked at start-up, and the gauge of freezes in force. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FreezeProperties.class)
class FreezesConfiguration {

  static final String ACTIVE_FREEZES = "greenlight.freezes.active";

  /** Freezes in force now, declared and recurring alike, whichever projects they cover (a query at each scrape). */
  @Bean
  MeterBinder activeFreezesGauge(FreezeSchedule schedule) {
    return registry -> Gauge.builder(ACTIVE_FREEZES, schedule,
            freezes -> freezes.activeAt(ClockUtil.getCurrentTime().toInstant()).size())
        .description("Freezes in force now, declared and recurring (deploys of the projects they cover go to break-glass)")
        .register(registry);
  }
}
