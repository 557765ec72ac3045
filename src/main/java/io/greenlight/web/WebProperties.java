package io.greenlight.web;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.util.unit.DataSize;

/**
 * {@code greenlight.web.*}: what a request body may be, how fast it must arrive and how many one client and all
 * clients may send at once ({@link RequestBodyGuard}); docs/configuration.md has the reasons for each default.
 *
 * @param maxBodySize Greenlight's own API, webhooks and everything else (64 KB)
 * @param maxEngineBodySize Camunda's REST API, the webapps' API and GitHub's webhook (1 MB)
 * @param maxDeploymentSize a deployment from Camunda Modeler or Cockpit (8 MB)
 * @param bodyReadTimeout the whole body arrives within this (10 s), however fast it starts
 * @param minBodyBytesPerSecond after {@code minBodyRateGrace}, a body still arriving must have come at least this fast
 *     on average since it began (240 bytes a second, Kestrel's default)
 * @param minBodyRateGrace how long a body may start slowly (5 s, Kestrel's default)
 * @param maxConcurrentBodyReadsPerClient bodies one client address receives at once (8); beyond that 429 at once
 * @param maxConcurrentLargeBodyReadsPerClient of them larger than {@code maxBodySize} (2)
 * @param maxConcurrentBodyReads bodies all clients send at once (100: half of Tomcat's 200 threads stay for the rest);
 *     beyond that 503 at once
 * @param maxConcurrentLargeBodyReads of them larger than {@code maxBodySize}, which bounds the heap bodies take (6)
 * @param trustedProxies CIDRs of the reverse proxies whose {@code X-Forwarded-For} names the client (none)
 */
@ConfigurationProperties("greenlight.web")
public record WebProperties(DataSize maxBodySize, DataSize maxEngineBodySize, DataSize maxDeploymentSize,
                            Duration bodyReadTimeout, int minBodyBytesPerSecond, Duration minBodyRateGrace,
                            int maxConcurrentBodyReadsPerClient, int maxConcurrentLargeBodyReadsPerClient,
                            int maxConcurrentBodyReads, int maxConcurrentLargeBodyReads, List<String> trustedProxies) {

  @ConstructorBinding
  public WebProperties {
    maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(64) : maxBodySize;
    maxEngineBodySize = maxEngineBodySize == null ? DataSize.ofMegabytes(1) : maxEngineBodySize;
    maxDeploymentSize = maxDeploymentSize == null ? DataSize.ofMegabytes(8) : maxDeploymentSize;
    bodyReadTimeout = bodyReadTimeout == null ? Duration.ofSeconds(10) : bodyReadTimeout;
    minBodyBytesPerSecond = minBodyBytesPerSecond <= 0 ? 240 : minBodyBytesPerSecond;
    minBodyRateGrace = minBodyRateGrace == null ? Duration.ofSeconds(5) : minBodyRateGrace;
    maxConcurrentBodyReadsPerClient = maxConcurrentBodyReadsPerClient <= 0 ? 8 : maxConcurrentBodyReadsPerClient;
    maxConcurrentLargeBodyReadsPerClient = maxConcurrentLargeBodyReadsPerClient <= 0 ? 2 : maxConcurrentLargeBodyReadsPerClient;
    maxConcurrentBodyReads = maxConcurrentBodyReads <= 0 ? 100 : maxConcurrentBodyReads;
    maxConcurrentLargeBodyReads = maxConcurrentLargeBodyReads <= 0 ? 6 : maxConcurrentLargeBodyReads;
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
  }
}
