package io.greenlight.directory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.persistence.entity.UserEntity;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes Camunda's users, groups and memberships (Tasklist logins, candidate groups) match the directory.
 * Users and groups the directory created and no longer lists are removed, so a person taken out of the
 * file can no longer log in or approve; the engine's history of what they did stays.
 */
class IdentitySync {

  private static final Logger log = LoggerFactory.getLogger(IdentitySync.class);
  static final String MANAGED_BY = "managed-by";
  static final String DIRECTORY = "greenlight-directory";
  /** The type of the groups the directory manages; other groups (camunda-admin, ones made in Admin) are left alone. */
  static final String GROUP_TYPE = "greenlight-directory";

  private final IdentityService identity;

  IdentitySync(IdentityService identity) {
    this.identity = identity;
  }

  void apply(DirectoryFile directory) {
    Set<String> groupIds = new HashSet<>();
    for (DirectoryFile.Group wanted : directory.groups()) {
      groupIds.add(wanted.id());
      Group group = identity.createGroupQuery().groupId(wanted.id()).singleResult();
      if (group == null) {
        group = identity.newGroup(wanted.id());
        group.setType(GROUP_TYPE);
      }
      group.setName(wanted.name() == null ? wanted.id() : wanted.name());
      identity.saveGroup(group);
    }

    Set<String> userIds = new HashSet<>();
    for (DirectoryFile.User wanted : directory.users()) {
      userIds.add(wanted.id());
      // A locked user's password cannot be checked (the check fails): it is set again from the file, and the lock stays.
      boolean locked = isLocked(wanted.id());
      // Checked before the user is read: a check updates the user's count of failed logins.
      boolean newPassword = wanted.password() != null && !wanted.password().isEmpty()
          && (locked || !identity.checkPassword(wanted.id(), wanted.password()));
      User user = identity.createUserQuery().userId(wanted.id()).singleResult();
      boolean known = user != null;
      if (!known) {
        user = identity.newUser(wanted.id());
      }
      String name = wanted.name() == null ? wanted.id() : wanted.name().trim();
      int lastSpace = name.lastIndexOf(' ');
      user.setFirstName(lastSpace < 0 ? name : name.substring(0, lastSpace));
      user.setLastName(lastSpace < 0 ? "" : name.substring(lastSpace + 1));
      user.setEmail(wanted.email());
      if (newPassword) {
        user.setPassword(wanted.password());
      }
      identity.saveUser(user);
      if (newPassword && known && !locked) {
        identity.unlockUser(wanted.id()); // a password the admin just changed starts without the old failed logins
      }
      identity.setUserInfo(wanted.id(), MANAGED_BY, DIRECTORY);
      syncMemberships(wanted.id(), wanted.groups(), groupIds);
    }

    for (User user : identity.createUserQuery().list()) {
      if (!userIds.contains(user.getId()) && DIRECTORY.equals(identity.getUserInfo(user.getId(), MANAGED_BY))) {
        log.info("Directory: removing user {} (no longer in the directory file)", user.getId());
        identity.deleteUser(user.getId());
      }
    }
    for (Group group : identity.createGroupQuery().groupType(GROUP_TYPE).list()) {
      if (!groupIds.contains(group.getId())) {
        log.info("Directory: removing group {} (no longer in the directory file)", group.getId());
        identity.deleteGroup(group.getId());
      }
    }
  }

  /** Locked out for now after failed logins (Camunda's brute-force protection). */
  private boolean isLocked(String userId) {
    User user = identity.createUserQuery().userId(userId).singleResult();
    return user instanceof UserEntity entity && entity.getLockExpirationTime() != null
        && entity.getLockExpirationTime().after(ClockUtil.getCurrentTime());
  }

  /** Memberships of groups the directory lists or manages follow the file; others are left alone. */
  private void syncMemberships(String userId, List<String> wantedGroups, Set<String> listedGroups) {
    Set<String> current = new HashSet<>();
    for (Group group : identity.createGroupQuery().groupMember(userId).list()) {
      current.add(group.getId());
      boolean followsFile = GROUP_TYPE.equals(group.getType()) || listedGroups.contains(group.getId());
      if (followsFile && !wantedGroups.contains(group.getId())) {
        identity.deleteMembership(userId, group.getId());
      }
    }
    for (String groupId : wantedGroups) {
      if (!current.contains(groupId)) {
        identity.createMembership(userId, groupId);
      }
    }
  }
}
