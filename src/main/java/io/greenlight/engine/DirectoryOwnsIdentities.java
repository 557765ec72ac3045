package io.greenlight.engine;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.auth.DefaultAuthorizationProvider;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory file is the only source of users: their passwords, names and e-mail addresses (which decide who is
 * told what) change there and nowhere else. Camunda grants every new user ALL on their own user, so anyone could
 * change their password or profile through {@code /engine-rest} or the webapps until the next reload; here a user
 * may only read themselves, for users created from now on (the engine's authorization provider) and for those
 * created before ({@link #readOnlyOnThemselves}, at every start).
 */
public class DirectoryOwnsIdentities extends AbstractProcessEnginePlugin {

  private static final Logger log = LoggerFactory.getLogger(DirectoryOwnsIdentities.class);

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setResourceAuthorizationProvider(new DefaultAuthorizationProvider() {
      @Override
      public AuthorizationEntity[] newUser(User user) {
        AuthorizationEntity readOnly = new AuthorizationEntity(Authorization.AUTH_TYPE_GRANT);
        readOnly.setUserId(user.getId());
        readOnly.setResource(Resources.USER);
        readOnly.setResourceId(user.getId());
        readOnly.addPermission(Permissions.READ);
        return new AuthorizationEntity[] {readOnly};
      }
    });
  }

  /** Users' grants on themselves from before: READ, nothing more. */
  static void readOnlyOnThemselves(AuthorizationService authorizations) {
    int narrowed = 0;
    for (Authorization grant : authorizations.createAuthorizationQuery().resourceType(Resources.USER)
        .authorizationType(Authorization.AUTH_TYPE_GRANT).list()) {
      boolean onThemselves = grant.getUserId() != null && grant.getUserId().equals(grant.getResourceId());
      if (onThemselves && !(grant.isPermissionGranted(Permissions.READ) && grant.getPermissions(Permissions.values()).length == 1)) {
        authorizations.deleteAuthorization(grant.getId());
        Authorization readOnly = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        readOnly.setUserId(grant.getUserId());
        readOnly.setResource(Resources.USER);
        readOnly.setResourceId(grant.getResourceId());
        readOnly.addPermission(Permissions.READ);
        authorizations.saveAuthorization(readOnly);
        narrowed++;
      }
    }
    if (narrowed > 0) {
      log.info("Users may now only read themselves in Camunda (the directory file owns them): {} grants narrowed", narrowed);
    }
  }
}
