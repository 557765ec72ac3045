package io.greenlight.directory;

import java.util.List;

/** An API client as Greenlight keeps it: its id and the projects it may ask approval for; never its key. */
public record ApiClientAccess(String id, List<String> projectGlobs) {

  /** Whether one of the client's globs ({@link ProjectGlob}: {@code *} within a segment, {@code **} across) covers the slug. */
  public boolean mayRequest(String projectSlug) {
    return projectGlobs.stream().anyMatch(glob -> ProjectGlob.matches(glob, projectSlug));
  }
}
