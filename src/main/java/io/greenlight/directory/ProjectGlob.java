package io.greenlight.directory;

import java.util.regex.Pattern;

/**
 * A glob over project slugs, as API clients' {@code projects} and freezes write them: {@code *} matches within one
 * path segment ({@code gh/acme/*}), {@code **} across segments ({@code gh/**}); everything else is itself, compared
 * without case (as CircleCI and GitHub compare slugs).
 */
public final class ProjectGlob {

  private ProjectGlob() {}

  /** Whether {@code glob} matches {@code projectSlug}. */
  public static boolean matches(String glob, String projectSlug) {
    return glob != null && projectSlug != null && pattern(glob).matcher(projectSlug).matches();
  }

  /** The glob as a regular expression matching whole slugs. */
  public static Pattern pattern(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        boolean twoStars = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
        regex.append(twoStars ? ".*" : "[^/]*");
        i += twoStars ? 1 : 0;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }
}
