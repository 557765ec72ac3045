package io.greenlight.directory;

import java.util.List;
import java.util.regex.Pattern;

/** An API client as Greenlight keeps it: its id and the projects it may ask approval for; never its key. */
public record ApiClientAccess(String id, List<String> projectGlobs) {

  public boolean mayRequest(String projectSlug) {
    return projectGlobs.stream().anyMatch(glob -> globPattern(glob).matcher(projectSlug).matches());
  }

  /**
   * {@code *} matches within one path segment, {@code **} across segments; case does not matter. Public: every glob over
   * project slugs (the period export's {@code project}, say) means what an API client's {@code projects} mean.
   */
  public static Pattern globPattern(String glob) {
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
