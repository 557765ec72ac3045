package io.greenlight.directory;

/** The directory file cannot be used; the message says where and why. */
public class DirectoryException extends RuntimeException {
  public DirectoryException(String message) {
    super(message);
  }

  public DirectoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
