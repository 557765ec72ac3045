package io.greenlight.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage with AES-256-GCM under {@code greenlight.secrets.key}: a fresh 96-bit nonce per seal,
 * and the secret's context (such as whose token it is) bound in as associated data, so a sealed value copied to
 * another row does not open. A sealed value reads {@code v1:<key id>:<base64 of nonce, ciphertext and tag>}; the
 * key id is a fingerprint that names the key without revealing it. During a key change the previous key still
 * opens what it sealed.
 */
public final class SecretBox {

  static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String VERSION = "v1";

  private final SecretKey key;
  private final String keyId;
  private final SecretKey previousKey;
  private final String previousKeyId;
  private final SecureRandom random = new SecureRandom();

  private SecretBox(byte[] key, byte[] previousKey) {
    this.key = key == null ? null : new SecretKeySpec(key, "AES");
    this.keyId = key == null ? null : fingerprint(key);
    this.previousKey = previousKey == null ? null : new SecretKeySpec(previousKey, "AES");
    this.previousKeyId = previousKey == null ? null : fingerprint(previousKey);
  }

  /**
   * @param base64Key {@code greenlight.secrets.key}: 32 random bytes in base64, or null/blank for none
   * @param base64PreviousKey {@code greenlight.secrets.previous-key}, only while changing keys
   * @throws IllegalArgumentException naming the property at fault, never its value
   */
  public static SecretBox of(String base64Key, String base64PreviousKey) {
    byte[] key = decode("greenlight.secrets.key", base64Key);
    byte[] previous = decode("greenlight.secrets.previous-key", base64PreviousKey);
    if (previous != null && key == null) {
      throw new IllegalArgumentException("greenlight.secrets.previous-key is set but greenlight.secrets.key is not: "
          + "set the new key too, or drop the previous one");
    }
    return new SecretBox(key, previous);
  }

  public boolean hasKey() {
    return key != null;
  }

  /** The fingerprint of the configured key, or null without one. */
  public String keyId() {
    return keyId;
  }

  public String seal(String secret, String context) {
    if (key == null) {
      throw new IllegalStateException("greenlight.secrets.key is not set: nothing can be sealed");
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return VERSION + ":" + keyId + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
  }

  /**
   * Opens a value sealed under the key or the previous key, for the same context.
   *
   * @throws UnreadableSecretException when neither key opens it (another key, another context, or altered)
   */
  public String open(String sealed, String context) {
    String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
    if (parts.length != 3 || !VERSION.equals(parts[0])) {
      throw new UnreadableSecretException("is not a value sealed by Greenlight");
    }
    SecretKey opener = parts[1].equals(keyId) ? key : parts[1].equals(previousKeyId) ? previousKey : null;
    if (opener == null) {
      throw new UnreadableSecretException("was sealed with key " + parts[1] + (key == null
          ? ", and greenlight.secrets.key is not set"
          : ", not with greenlight.secrets.key (" + keyId + ")" + (previousKeyId == null ? "" : " nor greenlight.secrets.previous-key (" + previousKeyId + ")")));
    }
    try {
      byte[] in = Base64.getDecoder().decode(parts[2]);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, opener, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new UnreadableSecretException("does not open with key " + parts[1] + ": it was altered, or belongs to another entry");
    }
  }

  /** Whether {@code sealed} names a key this box has (the current or the previous one). */
  public boolean knowsKeyOf(String sealed) {
    String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
    return parts.length == 3 && (parts[1].equals(keyId) || parts[1].equals(previousKeyId));
  }

  /** Whether {@code sealed} is sealed under the current key (otherwise it should be sealed again). */
  public boolean sealedWithCurrentKey(String sealed) {
    return keyId != null && sealed != null && sealed.startsWith(VERSION + ":" + keyId + ":");
  }

  private static byte[] decode(String property, String base64) {
    if (base64 == null || base64.isBlank()) {
      return null;
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(property + " is not base64: give 32 random bytes in base64, "
          + "such as the output of 'openssl rand -base64 32'");
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(property + " decodes to " + key.length + " bytes; AES-256 needs " + KEY_BYTES
          + " ('openssl rand -base64 32')");
    }
    return key;
  }

  /** Names a key without revealing anything useful about it. */
  private static String fingerprint(byte[] key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("greenlight-secret-key-id".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256.digest(key), 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** A sealed value that the configured keys cannot open; the message says why, never anything of the secret. */
  public static class UnreadableSecretException extends RuntimeException {
    public UnreadableSecretException(String message) {
      super(message);
    }
  }
}
