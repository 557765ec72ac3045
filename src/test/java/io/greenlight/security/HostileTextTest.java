package io.greenlight.security;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import jakarta.mail.internet.MimeMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Text a pipeline or an approver sends is data wherever Greenlight shows it: kept as sent, never turned into markup.
 * E-mail is plain text, TwiML escapes it, JSON carries it as a string.
 */
class HostileTextTest extends GreenlightApplicationTest {

  private static final String SCRIPT = "<script>alert('summary')</script>";
  private static final String IMAGE = "<img src=x onerror=alert(1)>";

  @Test
  void markupFromAPipelineOrAnApproverStaysText() throws Exception {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("project_slug", "gh/acme/shop");
    body.put("workflow_id", workflowId);
    body.put("approval_job", "hold");
    body.put("requested_by", "octocat");
    body.put("branch", IMAGE);
    body.put("summary", SCRIPT + "\nsecond line");
    // Git allows '<' and '>' in branch names: CircleCI reports the branch as it is.
    circleCi.triggeredBy(workflowId, "octocat", IMAGE, FakeCircleCi.DEFAULT_REVISION);
    Answer created = client.postJson("/api/approvals", bearer(ACME_KEY), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body));
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asText();
    runDueJobs();

    JsonNode request = client.get("/api/approvals/" + id, bearer(ACME_KEY)).body();
    assertThat(request.get("summary").asText()).isEqualTo(SCRIPT + "\nsecond line");
    assertThat(request.get("branch").asText()).isEqualTo(IMAGE);

    MimeMessage email = mail.getReceivedMessages()[0];
    assertThat(email.getContentType()).startsWith("text/plain");
    assertThat(email.getContent().toString()).contains("Summary:      " + SCRIPT).contains("Branch:       " + IMAGE);

    Map<String, String> reply = new LinkedHashMap<>();
    reply.put("From", "+15551230001");
    reply.put("Body", "REJECT " + request.get("code").asText() + " " + IMAGE + " & </Body></Message><Message>");
    reply.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    Answer twiml = client.postTwilio("/twilio/sms", reply, FakeTwilio.sign(PUBLIC_URL + "/twilio/sms", reply));
    assertThat(twiml.raw().body()).contains("Recorded: you rejected gh/acme/shop &lt;img src=x onerror=alert(1)&gt;")
        .doesNotContain(IMAGE);

    JsonNode rejected = client.get("/api/approvals/" + id, basic("alice", "alice-password")).body();
    assertThat(rejected.get("decisions").get(0).get("comment").asText()).isEqualTo(IMAGE + " & </Body></Message><Message>");
    Answer read = client.get("/api/approvals/" + id, bearer(ACME_KEY));
    assertThat(read.header("Content-Type")).startsWith("application/json");
    assertThat(read.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }
}
