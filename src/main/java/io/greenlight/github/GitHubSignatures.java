package io.greenlight.github;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signature: {@code X-Hub-Signature-256: sha256=} + the hex HMAC-SHA256 of the raw body, keyed with
 * the webhook secret; compared in constant time.
 */
public final class GitHubSignatures {

  private static final String PREFIX = "sha256=";

  private GitHubSignatures() {}

  public static boolean valid(String secret, byte[] body, String signatureHeader) {
    if (secret == null || secret.isBlank() || signatureHeader == null || !signatureHeader.startsWith(PREFIX)) {
      return false;
    }
    byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
    byte[] given = signatureHeader.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  /** The header's value for {@code body}. */
  public static String sign(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException impossible) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
    }
  }
}
