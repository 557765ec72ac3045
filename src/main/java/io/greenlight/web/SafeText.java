package io.greenlight.web;

import java.util.regex.Pattern;

/**
 * Text that people send and others are shown (a branch, a summary, a comment): no control characters, except line
 * breaks and tabs where a text may have lines; no bidirectional overrides, which make a text read otherwise than it
 * is ("Trojan Source"); no broken UTF-16. Character classes only, so a long text cannot exhaust the regex engine.
 */
public final class SafeText {

  private static final String UNSAFE = "\\p{Cc}\\p{Cs}\\u202A-\\u202E\\u2066-\\u2069";
  /** For {@code @Pattern}: a text on one line. */
  public static final String ONE_LINE = "^[^" + UNSAFE + "]*$";
  /** For {@code @Pattern}: a text that may have lines. */
  public static final String LINES = "^[\\t\\n\\r[^" + UNSAFE + "]]*$";
  /** For {@code @Pattern}: an http(s) URL, in ASCII as URLs are sent. */
  public static final String HTTP_URL = "^https?://[\\x21-\\x7e]+$";

  private static final Pattern LINES_PATTERN = Pattern.compile(LINES);
  private static final Pattern UNSAFE_CHARACTER = Pattern.compile("[" + UNSAFE + "]");

  private SafeText() {}

  public static boolean isLines(String text) {
    return text == null || LINES_PATTERN.matcher(text).matches();
  }

  /**
   * Text Greenlight takes as it comes (from CircleCI) but shows people: unsafe characters become U+FFFD, and it is cut
   * to {@code longest} characters.
   */
  public static String cleaned(String text, int longest) {
    if (text == null) {
      return null;
    }
    String clean = UNSAFE_CHARACTER.matcher(text).replaceAll("\uFFFD");
    return clean.length() > longest ? clean.substring(0, longest - 1) + "…" : clean;
  }
}
