package io.greenlight.freeze;

import io.greenlight.directory.ProjectGlob;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A freeze: deploys of the projects {@code projects} covers are frozen from {@code startsAt} (included) to
 * {@code endsAt} (excluded), for {@code reason}. Declared through the API ({@code id} a UUID, {@code createdBy} who
 * declared it) or an occurrence of a recurring one from the configuration ({@code id} {@code recurring-<n>},
 * {@code recurring} true, no {@code createdBy}).
 */
public record Freeze(String id, String projects, Instant startsAt, Instant endsAt, String reason, String createdBy,
                     boolean recurring) {

  /** The glob of every project, the default. */
  public static final String EVERY_PROJECT = "*";
  /** The longest reason, declared or configured. */
  public static final int LONGEST_REASON = 500;
  /** A glob over project slugs, for {@code @Pattern}: {@code *} within a segment, {@code **} across. */
  public static final String PROJECTS_GLOB = "^[A-Za-z0-9_.*/-]{1,255}$";

  private static final Pattern PROJECTS_GLOB_PATTERN = Pattern.compile(PROJECTS_GLOB);

  public boolean covers(String projectSlug) {
    return covers(projects, projectSlug);
  }

  public boolean activeAt(Instant at) {
    return !startsAt.isAfter(at) && endsAt.isAfter(at);
  }

  public ActiveFreeze asActive() {
    return new ActiveFreeze(reason, endsAt);
  }

  /** {@code *} alone is every project; any other glob is matched as API clients' are ({@link ProjectGlob}). */
  static boolean covers(String glob, String projectSlug) {
    return EVERY_PROJECT.equals(glob) ? projectSlug != null : ProjectGlob.matches(glob, projectSlug);
  }

  static boolean isProjectGlob(String glob) {
    return glob != null && PROJECTS_GLOB_PATTERN.matcher(glob).matches();
  }
}
