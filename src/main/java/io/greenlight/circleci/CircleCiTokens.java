package io.greenlight.circleci;

/**
 * Which CircleCI token a call uses and whose it is. Only the owner is ever recorded; the token itself
 * stays in memory. Today every call uses the service token {@code greenlight.circleci.token}.
 */
public class CircleCiTokens {

  public static final String SERVICE_OWNER = "service";

  private final CircleCiProperties properties;

  public CircleCiTokens(CircleCiProperties properties) {
    this.properties = properties;
  }

  public OwnedToken service() {
    return new OwnedToken(SERVICE_OWNER, properties.token());
  }

  public record OwnedToken(String owner, String token) {
    @Override
    public String toString() {
      return "OwnedToken[owner=" + owner + "]";
    }
  }
}
