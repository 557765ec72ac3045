package io.greenlight.circleci;

import io.greenlight.directory.PersonalTokens;
import org.springframework.stereotype.Component;

/**
 * Which CircleCI token a call uses and whose it is: an approver's own (opened from {@link PersonalTokens} for the
 * call), or the service token {@code greenlight.circleci.token}. Only the owner is ever recorded; the token stays
 * in memory for the call.
 */
@Component
public class CircleCiTokens {

  public static final String SERVICE_OWNER = "service";

  private final CircleCiProperties properties;
  private final PersonalTokens personalTokens;

  public CircleCiTokens(CircleCiProperties properties, PersonalTokens personalTokens) {
    this.properties = properties;
    this.personalTokens = personalTokens;
  }

  public OwnedToken service() {
    return new OwnedToken(SERVICE_OWNER, properties.token());
  }

  /** The approver's own token when one is stored, otherwise the service token. */
  public OwnedToken of(String userId) {
    return personalTokens.tokenOf(userId).map(token -> new OwnedToken(userId, token)).orElseGet(this::service);
  }

  public record OwnedToken(String owner, String token) {
    public boolean isService() {
      return SERVICE_OWNER.equals(owner);
    }

    @Override
    public String toString() {
      return "OwnedToken[owner=" + owner + "]";
    }
  }
}
