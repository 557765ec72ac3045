package io.greenlight.github;

import io.jsonwebtoken.Jwts;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The GitHub App's private key and the JSON Web Tokens it signs (RS256, {@code iss} = the App id), with which the App
 * asks GitHub for installation tokens. GitHub hands out keys as PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}); PKCS#8
 * ({@code BEGIN PRIVATE KEY}, what {@code openssl pkcs8 -topk8} makes) is taken as well.
 */
final class GitHubAppKey {

  /** GitHub accepts at most 10 minutes; a minute back for clocks that differ (GitHub's own advice). */
  static final Duration LIFETIME = Duration.ofMinutes(9);
  private static final Duration CLOCK_DRIFT = Duration.ofSeconds(60);

  private final String appId;
  private final PrivateKey key;

  GitHubAppKey(String appId, String pem) {
    this.appId = appId.trim();
    this.key = parse(pem);
  }

  String jwt(Instant now) {
    return Jwts.builder()
        .issuer(appId)
        .issuedAt(Date.from(now.minus(CLOCK_DRIFT)))
        .expiration(Date.from(now.plus(LIFETIME)))
        .signWith(key, Jwts.SIG.RS256)
        .compact();
  }

  private static PrivateKey parse(String pem) {
    String text = pem.replace("\\n", "\n").trim();
    boolean pkcs1 = text.contains("BEGIN RSA PRIVATE KEY");
    if (!pkcs1 && !text.contains("BEGIN PRIVATE KEY")) {
      throw new IllegalArgumentException("greenlight.github.private-key must be the App's private key in PEM "
          + "(-----BEGIN RSA PRIVATE KEY----- as GitHub hands it out, or -----BEGIN PRIVATE KEY-----)");
    }
    String base64 = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? pkcs8Of(der) : der));
    } catch (IllegalArgumentException | GeneralSecurityException unreadable) {
      throw new IllegalArgumentException("greenlight.github.private-key is not a readable RSA private key ("
          + unreadable.getClass().getSimpleName() + ")");
    }
  }

  /**
   * PKCS#1 wrapped as PKCS#8, which the JDK reads: SEQUENCE { INTEGER 0, SEQUENCE { OID rsaEncryption, NULL },
   * OCTET STRING { the PKCS#1 key } }.
   */
  private static byte[] pkcs8Of(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    byte[] rsaAlgorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
        0x01, 0x05, 0x00};
    byte[] key = derElement(0x04, pkcs1);
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes(version);
    content.writeBytes(rsaAlgorithm);
    content.writeBytes(key);
    return derElement(0x30, content.toByteArray());
  }

  private static byte[] derElement(int tag, byte[] content) {
    ByteArrayOutputStream element = new ByteArrayOutputStream();
    element.write(tag);
    int length = content.length;
    if (length < 0x80) {
      element.write(length);
    } else {
      int bytes = length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      element.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        element.write((length >> (8 * i)) & 0xff);
      }
    }
    element.writeBytes(content);
    return element.toByteArray();
  }
}
