package io.greenlight.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.util.unit.DataSize;

/**
 * {@code greenlight.web.*}: what a request body may be and how long it may take to arrive ({@link RequestBodyGuard}).
 * {@code max-body-size} (64 KB) for Greenlight's own API, webhooks and everything else; {@code max-engine-body-size}
 * (1 MB) for Camunda's REST API and the webapps' API; {@code max-deployment-size} (8 MB) for a deployment from Camunda
 * Modeler or Cockpit; {@code body-read-timeout} (10 s) for the whole body to arrive; {@code max-concurrent-body-reads}
 * (40) bodies being received at once, and {@code max-concurrent-large-body-reads} (2) of them larger than
 * {@code max-body-size} — beyond that a request is answered 503 at once, so slow or large uploads never hold every
 * server thread or the heap.
 */
@ConfigurationProperties("greenlight.web")
public record WebProperties(DataSize maxBodySize, DataSize maxEngineBodySize, DataSize maxDeploymentSize,
                            Duration bodyReadTimeout, int maxConcurrentBodyReads, int maxConcurrentLargeBodyReads) {

  @ConstructorBinding
  public WebProperties {
    maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(64) : maxBodySize;
    maxEngineBodySize = maxEngineBodySize == null ? DataSize.ofMegabytes(1) : maxEngineBodySize;
    maxDeploymentSize = maxDeploymentSize == null ? DataSize.ofMegabytes(8) : maxDeploymentSize;
    bodyReadTimeout = bodyReadTimeout == null ? Duration.ofSeconds(10) : bodyReadTimeout;
    maxConcurrentBodyReads = maxConcurrentBodyReads <= 0 ? 40 : maxConcurrentBodyReads;
    maxConcurrentLargeBodyReads = maxConcurrentLargeBodyReads <= 0 ? 2 : maxConcurrentLargeBodyReads;
  }
}
