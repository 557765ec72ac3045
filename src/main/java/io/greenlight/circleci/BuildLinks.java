package io.greenlight.circleci;

import io.greenlight.gate.SystemsWord;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The "Build" link approvers click is CircleCI's, never just the pipeline's word: whoever edits a pipeline's config
 * could otherwise point approvers at a page of their own. A link to CircleCI's web pages ({@code circleci.com},
 * {@code app.circleci.com}, or the host of {@code greenlight.circleci.web-url}) over https is kept; any other is
 * replaced by the workflow's page at CircleCI, and the claim kept for the record.
 */
@Component
public class BuildLinks {

  private static final Set<String> CIRCLECI_CLOUD = Set.of("circleci.com", "app.circleci.com");

  private final String webUrl;
  private final String webHost;

  public BuildLinks(CircleCiProperties settings) {
    this.webUrl = settings.webUrl();
    this.webHost = hostOf(settings.webUrl()).orElse("app.circleci.com");
  }

  /** The request's build link ({@link SystemsWord#buildLink}): the claim where it is CircleCI's, else the workflow's page. */
  public Map<String, Object> checked(String claimed, String workflowId) {
    return SystemsWord.buildLink(claimed, claimed == null || isCircleCis(claimed),
        webUrl + "/pipelines/workflows/" + workflowId);
  }

  boolean isCircleCis(String url) {
    try {
      URI link = new URI(url);
      return "https".equalsIgnoreCase(link.getScheme()) && link.getUserInfo() == null && link.getPort() == -1
          && hostOf(url).filter(host -> CIRCLECI_CLOUD.contains(host) || host.equals(webHost)).isPresent();
    } catch (java.net.URISyntaxException notALink) {
      return false;
    }
  }

  private static Optional<String> hostOf(String url) {
    try {
      return Optional.ofNullable(new URI(url).getHost()).map(host -> host.toLowerCase(Locale.ROOT));
    } catch (java.net.URISyntaxException notALink) {
      return Optional.empty();
    }
  }
}
