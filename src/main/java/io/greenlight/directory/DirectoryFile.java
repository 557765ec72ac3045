package io.greenlight.directory;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** The directory file's shape (docs/directory.md), as written in YAML. */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record DirectoryFile(List<User> users, List<Group> groups, List<ApiClient> apiClients) {

  public DirectoryFile {
    users = users == null ? List.of() : List.copyOf(users);
    groups = groups == null ? List.of() : List.copyOf(groups);
    apiClients = apiClients == null ? List.of() : List.copyOf(apiClients);
  }

  /**
   * A person. {@code slack} is their Slack member id ({@code U023BECGF}), for direct messages with buttons (docs/slack.md);
   * {@code voice} says they may be called on their phone (docs/sms.md, "Phone calls").
   */
  @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
  public record User(String id, String name, String email, String phone, String password,
                     String circleciToken, List<String> groups, List<String> logins, String slack, boolean voice) {
    public User {
      groups = groups == null ? List.of() : List.copyOf(groups);
      logins = logins == null ? List.of() : List.copyOf(logins);
    }

    public User(String id, String name, String email, String phone, String password, String circleciToken, List<String> groups) {
      this(id, name, email, phone, password, circleciToken, groups, List.of(), null, false);
    }

    /** The user as Greenlight keeps them in memory: without password and CircleCI token. */
    public User withoutSecrets() {
      return new User(id, name, email, phone, null, null, groups, logins, slack, voice);
    }

    @Override
    public String toString() {
      return "User[" + id + "]";
    }
  }

  @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
  public record Group(String id, String name, String escalateTo, OnCall onCall) {}

  /**
   * A rotation: {@code members} take shifts of {@code rotation} in turn from {@code start}. With a {@code zone}, a
   * rotation of whole days keeps the local time of {@code start} across daylight-saving changes.
   */
  @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
  public record OnCall(Duration rotation, Instant start, List<String> members, ZoneId zone) {}

  @JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
  public record ApiClient(String id, String key, List<String> projects) {
    public ApiClient {
      projects = projects == null ? List.of() : List.copyOf(projects);
    }

    @Override
    public String toString() {
      return "ApiClient[" + id + "]";
    }
  }
}
