package io.greenlight.routing;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.deploy.Deployer;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;

/**
 * Counts the deployments the engine of this node takes in (a new routing table among them, from a restart or from
 * Camunda Modeler), so that what was read from a deployed model can be read again at once.
 */
public class Deployments extends AbstractProcessEnginePlugin implements Deployer {

  private final AtomicLong count = new AtomicLong();

  public long count() {
    return count.get();
  }

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostDeployers() == null) {
      configuration.setCustomPostDeployers(new ArrayList<>());
    }
    configuration.getCustomPostDeployers().add(this);
  }

  @Override
  public void deploy(DeploymentEntity deployment) {
    count.incrementAndGet();
  }
}
