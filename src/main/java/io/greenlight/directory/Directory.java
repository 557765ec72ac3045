package io.greenlight.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is who: the users, groups and API clients of the directory file, as last loaded. A load replaces
 * the whole picture at once, so a reader never sees half of an old file and half of a new one. API keys
 * are kept only as SHA-256 hashes; users' passwords and CircleCI tokens are not kept at all.
 */
public class Directory {

  private volatile Snapshot snapshot = new Snapshot(Map.of(), Map.of(), Map.of());

  public static Directory of(DirectoryFile file) {
    Directory directory = new Directory();
    directory.replaceWith(file);
    return directory;
  }

  void replaceWith(DirectoryFile file) {
    Map<String, DirectoryFile.User> users = new LinkedHashMap<>();
    // Passwords went to Camunda (hashed) and tokens to PersonalTokens (sealed): none stays here in plain text.
    file.users().forEach(user -> users.put(user.id(), user.withoutSecrets()));
    Map<String, DirectoryFile.Group> groups = new LinkedHashMap<>();
    file.groups().forEach(group -> groups.put(group.id(), group));
    Map<String, ApiClientAccess> clients = new LinkedHashMap<>();
    file.apiClients().forEach(client -> clients.put(hash(client.key()), new ApiClientAccess(client.id(), client.projects())));
    // In the file's order: members are asked, and rotations listed, as the admin wrote them.
    snapshot = new Snapshot(Collections.unmodifiableMap(users), Collections.unmodifiableMap(groups), Collections.unmodifiableMap(clients));
  }

  /** The client whose key this is. Keys are compared as hashes, so the time taken says nothing of the key. */
  public Optional<ApiClientAccess> clientWithKey(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] presented = HexFormat.of().parseHex(hash(presentedKey));
    ApiClientAccess match = null;
    for (Map.Entry<String, ApiClientAccess> client : snapshot.clientsByKeyHash().entrySet()) {
      if (MessageDigest.isEqual(presented, HexFormat.of().parseHex(client.getKey()))) {
        match = client.getValue();
      }
    }
    return Optional.ofNullable(match);
  }

  public Optional<DirectoryFile.User> user(String id) {
    return Optional.ofNullable(id == null ? null : snapshot.users().get(id));
  }

  /** The user with this Slack member id. */
  public Optional<DirectoryFile.User> userWithSlackId(String memberId) {
    return memberId == null ? Optional.empty()
        : snapshot.users().values().stream().filter(user -> memberId.equals(user.slack())).findFirst();
  }

  /** The user with this phone number, written in E.164 or with spaces, dashes, dots, brackets or a 00 prefix. */
  public Optional<DirectoryFile.User> userWithPhone(String phone) {
    String wanted = normalisePhone(phone);
    return wanted == null ? Optional.empty()
        : snapshot.users().values().stream().filter(user -> wanted.equals(normalisePhone(user.phone()))).findFirst();
  }

  static String normalisePhone(String phone) {
    if (phone == null) {
      return null;
    }
    String digits = phone.replaceAll("[\\s().\\-/]", "");
    if (digits.startsWith("00")) {
      digits = "+" + digits.substring(2);
    } else if (!digits.startsWith("+")) {
      digits = "+" + digits;
    }
    return digits.matches("\\+[0-9]{7,15}") ? digits : null;
  }

  public Optional<DirectoryFile.Group> group(String id) {
    return Optional.ofNullable(id == null ? null : snapshot.groups().get(id));
  }

  public List<DirectoryFile.User> members(String groupId) {
    return snapshot.users().values().stream().filter(user -> user.groups().contains(groupId)).toList();
  }

  public boolean isMember(String userId, String groupId) {
    return groupId != null && user(userId).map(user -> user.groups().contains(groupId)).orElse(false);
  }

  /**
   * The approvers a request names ({@code names}: groups and users of this directory), and {@code escalatedTo} among the
   * groups once that group was asked. A name that is a group is the group, else a user, else unknown.
   */
  public Approvers approvers(List<String> names, String escalatedTo) {
    List<String> groups = new ArrayList<>();
    List<String> users = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    Snapshot current = snapshot;
    for (String name : names) {
      if (current.groups().containsKey(name)) {
        groups.add(name);
      } else if (current.users().containsKey(name)) {
        users.add(name);
      } else {
        unknown.add(name);
      }
    }
    return new Approvers(groups, users, unknown).withGroup(escalatedTo);
  }

  /** Whether {@code userId} may answer for {@code approvers}: named, or a member of a group named. */
  public boolean mayAnswer(String userId, Approvers approvers) {
    return userId != null && user(userId).isPresent()
        && (approvers.users().contains(userId) || approvers.groups().stream().anyMatch(group -> isMember(userId, group)));
  }

  /**
   * Everyone the levels of asking could reach, in order: the users named, the members of the groups named, then the
   * members of the first group's {@code escalate-to}; never the requester.
   */
  public Set<String> everyoneToAsk(Approvers approvers, String requestedBy) {
    Set<String> everyone = new LinkedHashSet<>(approvers.users());
    approvers.groups().forEach(group -> members(group).forEach(user -> everyone.add(user.id())));
    approvers.firstGroup().flatMap(this::group).map(DirectoryFile.Group::escalateTo)
        .ifPresent(escalation -> members(escalation).forEach(user -> everyone.add(user.id())));
    everyone.removeIf(user -> isRequester(user, requestedBy));
    return everyone;
  }

  /**
   * Whether {@code userId} is the person who asked for the deployment. The pipeline names the requester
   * by its CI login ({@code requested_by}, CircleCI's {@code CIRCLE_USERNAME}, which is the GitHub or Bitbucket
   * login); it matches a directory user by id, e-mail, or one of their {@code logins}, ignoring case.
   */
  public boolean isRequester(String userId, String requestedBy) {
    if (userId == null || requestedBy == null || requestedBy.isBlank()) {
      return false;
    }
    String requester = requestedBy.trim();
    return userId.equalsIgnoreCase(requester)
        || user(userId).map(user -> requester.equalsIgnoreCase(user.email())
            || user.logins().stream().anyMatch(requester::equalsIgnoreCase)).orElse(false);
  }

  /** The directory user who asked for a deployment, if the directory knows them (see {@link #isRequester}). */
  public Optional<DirectoryFile.User> requester(String requestedBy) {
    return snapshot.users().values().stream().filter(user -> isRequester(user.id(), requestedBy)).findFirst();
  }

  static String hash(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private record Snapshot(Map<String, DirectoryFile.User> users, Map<String, DirectoryFile.Group> groups,
                          Map<String, ApiClientAccess> clientsByKeyHash) {}
}
