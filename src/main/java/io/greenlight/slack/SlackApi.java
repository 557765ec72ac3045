package io.greenlight.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import io.greenlight.metrics.GreenlightMetrics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The three Web API methods Greenlight calls, through Slack's SDK: {@code chat.postMessage} (a direct message when the
 * channel is a member id), {@code chat.update} and {@code views.open}. Slack answers errors as {@code ok: false}: those
 * about a person or a message (no such user, message gone) are {@link SlackRefusedException}s, retrying does not help;
 * the token's or Slack's own (invalid_auth, ratelimited, an outage, a timeout) are {@link IllegalStateException}s, so the
 * job that called is retried and an admin sees an incident when it keeps failing.
 */
public class SlackApi {

  /** Errors that are Greenlight's settings or Slack's state, not the message's: worth trying again. */
  private static final Set<String> TRY_AGAIN = Set.of("not_authed", "invalid_auth", "account_inactive", "token_revoked",
      "token_expired", "no_permission", "missing_scope", "not_allowed_token_type", "ratelimited", "rate_limited",
      "fatal_error", "internal_error", "service_unavailable", "request_timeout", "team_added_to_org", "ekm_access_denied");

  private final MethodsClient methods;

  public SlackApi(SlackProperties settings) {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(settings.baseUrl() + "/");
    config.setStatsEnabled(false);
    config.setPrettyResponseLoggingEnabled(false);
    config.setHttpClientReadTimeoutMillis((int) settings.readTimeout().toMillis());
    config.setHttpClientWriteTimeoutMillis((int) settings.readTimeout().toMillis());
    config.setHttpClientCallTimeoutMillis((int) settings.connectTimeout().plus(settings.readTimeout()).toMillis());
    this.methods = Slack.getInstance(config).methods(settings.botToken());
  }

  /** Where a message went: the conversation ({@code D…} for a direct message) and its {@code ts}. */
  public record Posted(String channel, String ts) {

    /** As kept in a notification's {@code reference}: {@code D024BE91L/1503435956.000247}. */
    public String reference() {
      return channel + "/" + ts;
    }

    public static Posted of(String reference) {
      int slash = reference == null ? -1 : reference.indexOf('/');
      return slash <= 0 ? null : new Posted(reference.substring(0, slash), reference.substring(slash + 1));
    }
  }

  public Posted postMessage(String channel, String text, List<LayoutBlock> blocks) {
    ChatPostMessageResponse posted = call("chat.postMessage", () -> methods.chatPostMessage(request -> request
        .channel(channel).text(text).blocks(blocks).unfurlLinks(false).unfurlMedia(false)));
    return new Posted(posted.getChannel(), posted.getTs());
  }

  public void update(Posted message, String text, List<LayoutBlock> blocks) {
    call("chat.update", () -> methods.chatUpdate(request -> request
        .channel(message.channel()).ts(message.ts()).text(text).blocks(blocks)));
  }

  /** The workspace ({@code T…}) the bot token belongs to, as {@code auth.test} says. */
  public String teamId() {
    return call("auth.test", () -> methods.authTest(request -> request)).getTeamId();
  }

  public void openView(String triggerId, View view) {
    call("views.open", () -> methods.viewsOpen(request -> request.triggerId(triggerId).view(view)));
  }

  private interface Call<T extends SlackApiTextResponse> {
    T make() throws IOException, SlackApiException;
  }

  private static <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
    long started = System.nanoTime();
    try {
      T answer = call.make();
      if (answer.isOk()) {
        took(method, started, GreenlightMetrics.OK);
        return answer;
      }
      String error = answer.getError();
      took(method, started, "error");
      if (TRY_AGAIN.contains(error)) {
        throw new IllegalStateException("Slack answered " + method + " with " + error);
      }
      throw new SlackRefusedException(method, error);
    } catch (SlackApiException failed) {
      int status = failed.getResponse().code();
      took(method, started, GreenlightMetrics.outcomeOf(status));
      throw new IllegalStateException("Slack answered " + method + " with HTTP " + status
          + (status == 429 ? " (rate limited, retry after " + failed.getResponse().header("Retry-After") + " s)" : ""));
    } catch (IOException unreachable) {
      took(method, started, GreenlightMetrics.UNREACHABLE);
      throw new IllegalStateException("Slack could not be reached for " + method + ": " + unreachable.getMessage(), unreachable);
    }
  }

  private static void took(String method, long started, String outcome) {
    GreenlightMetrics.slackCall(method, outcome, Duration.ofNanos(System.nanoTime() - started));
  }
}
