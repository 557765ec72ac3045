package io.greenlight.engine;

import java.security.SecureRandom;
import java.util.Base64;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;

/**
 * The Camunda {@code admin} user, member of {@code camunda-admin} with every permission. Its password is
 * {@code greenlight.admin.password}; when that is unset and there is no admin yet, a random one is made
 * and printed once. There is never a default password.
 */
public class AdminAccount {

  public static final String ADMIN_ID = "admin";

  private final IdentityService identity;
  private final AuthorizationService authorizations;

  public AdminAccount(IdentityService identity, AuthorizationService authorizations) {
    this.identity = identity;
    this.authorizations = authorizations;
  }

  public void ensure(String configuredPassword) {
    ensureAdminGroup();
    User admin = identity.createUserQuery().userId(ADMIN_ID).singleResult();
    boolean configured = configuredPassword != null && !configuredPassword.isBlank();
    if (admin == null) {
      admin = identity.newUser(ADMIN_ID);
      admin.setFirstName("Greenlight");
      admin.setLastName("Admin");
      String password = configured ? configuredPassword : randomPassword();
      admin.setPassword(password);
      identity.saveUser(admin);
      if (!configured) {
        // Printed once, on purpose and only here: the operator needs it to log in the first time.
        System.out.println("\n  Greenlight created the Camunda user 'admin' with the password: " + password
            + "\n  Set greenlight.admin.password to choose your own.\n");
      }
    } else if (configured && !identity.checkPassword(ADMIN_ID, configuredPassword)) {
      // The check counted as a failed login (after enough of them the account is locked): the configured password
      // replaces the stored one, on the account as the check left it, and unlocked.
      identity.unlockUser(ADMIN_ID);
      User current = identity.createUserQuery().userId(ADMIN_ID).singleResult();
      current.setPassword(configuredPassword);
      identity.saveUser(current);
    }
    if (identity.createUserQuery().userId(ADMIN_ID).memberOfGroup(Groups.CAMUNDA_ADMIN).count() == 0) {
      identity.createMembership(ADMIN_ID, Groups.CAMUNDA_ADMIN);
    }
  }

  private void ensureAdminGroup() {
    if (identity.createGroupQuery().groupId(Groups.CAMUNDA_ADMIN).count() == 0) {
      Group group = identity.newGroup(Groups.CAMUNDA_ADMIN);
      group.setName("Camunda BPM Administrators");
      group.setType(Groups.GROUP_TYPE_SYSTEM);
      identity.saveGroup(group);
    }
    for (Resource resource : Resources.values()) {
      if (authorizations.createAuthorizationQuery().groupIdIn(Groups.CAMUNDA_ADMIN).resourceType(resource).resourceId("*").count() == 0) {
        Authorization all = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        all.setGroupId(Groups.CAMUNDA_ADMIN);
        all.setResource(resource);
        all.setResourceId("*");
        all.addPermission(Permissions.ALL);
        authorizations.saveAuthorization(all);
      }
    }
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
