package io.greenlight.sms;

import java.util.Optional;

/** The SMS sender in use: Twilio, the log (demo), or none when SMS is off. */
public record SmsChannel(Optional<SmsSender> sender) {}
