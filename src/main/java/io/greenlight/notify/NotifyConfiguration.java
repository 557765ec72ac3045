package io.greenlight.notify;

import io.greenlight.directory.Directory;
import io.greenlight.oncall.OnCallSchedule;
import io.greenlight.sms.SmsChannel;
import org.camunda.bpm.engine.RuntimeService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

@Configuration
class NotifyConfiguration {

  private static final Logger log = LoggerFactory.getLogger(NotifyConfiguration.class);

  @Bean
  ApproversToAsk approversToAsk(Directory directory) {
    return new ApproversToAsk(directory);
  }

  @Bean
  AskNextLevel askNextLevel(Directory directory, OnCallSchedule onCall) {
    return new AskNextLevel(directory, onCall);
  }

  @Bean
  CheckApprovers checkApprovers(Directory directory) {
    return new CheckApprovers(directory);
  }

  @Bean
  Escalations escalations(RuntimeService runtime) {
    return new Escalations(runtime);
  }

  /** E-mail goes out when Spring's mail is configured ({@code spring.mail.host}); otherwise it is off. */
  @Bean
  SendEmail sendEmail(ObjectProvider<JavaMailSender> mail, Directory directory,
                      @Value("${greenlight.public-base-url}") String publicBaseUrl,
                      @Value("${greenlight.mail.from}") String from) {
    Optional<JavaMailSender> sender = Optional.ofNullable(mail.getIfAvailable());
    if (sender.isEmpty()) {
      log.warn("E-mail is off: set spring.mail.host (and spring.mail.*) to send approvers e-mail.");
    }
    return new SendEmail(sender, directory, publicBaseUrl, from);
  }

  @Bean
  TellOutcome tellOutcome(SmsChannel sms, ObjectProvider<JavaMailSender> mail, Directory directory,
                          @Value("${greenlight.mail.from}") String from) {
    return new TellOutcome(sms, Optional.ofNullable(mail.getIfAvailable()), directory, from);
  }
}
