package io.greenlight.browser;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.FakeCircleCi;
import io.greenlight.testing.GreenlightProcess;
import io.greenlight.testing.GreenlightTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages people use, in a real browser (Debian's chromium, driven by its chromedriver; .ci/run installs both):
 * an approver signs in to Tasklist, opens the decision task and approves with the form; the history page then shows
 * the diagram with the path the request took, and its timeline names who approved, how, and CircleCI's answer.
 * Screenshots go to target/browser/.
 */
class TasklistAndHistoryBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "browser");
  private static final String API_KEY = "browser-ci-key-0123456789";

  private static final FakeCircleCi circleCi = new FakeCircleCi();
  private static GreenlightProcess greenlight;
  private static GreenlightTestClient client;
  private static String base;
  private WebDriver browser;

  @BeforeAll
  static void startGreenlight() throws Exception {
    Path workingDirectory = Files.createTempDirectory("greenlight-browser");
    // Two approvers, and an incident commander for the freeze.
    Path directory = Files.writeString(workingDirectory.resolve("directory.yaml"), """
        users:
          - { id: alice, email: alice@example.com, password: alice-password, groups: [approvers] }
          - { id: bob, email: bob@example.com, password: bob-password, groups: [approvers] }
          - { id: ivan, email: ivan@example.com, password: ivan-password, groups: [incident-commanders] }
        groups:
          - id: approvers
          - id: incident-commanders
        api-clients:
          - { id: ci, key: %s, projects: ["gh/acme/*"] }
        """.formatted(API_KEY));
    int port = GreenlightProcess.freePort();
    base = "http://localhost:" + port;
    greenlight = GreenlightProcess.start("browser", port, List.of(
        "--greenlight.directory-file=" + directory,
        "--greenlight.public-base-url=" + base,
        "--greenlight.circleci.base-url=" + circleCi.baseUrl(),
        "--greenlight.circleci.token=" + FakeCircleCi.TOKEN,
        "--greenlight.admin.password=browser-admin-password"), workingDirectory);
    greenlight.awaitHealthy(Duration.ofSeconds(120));
    client = greenlight.client();
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stopGreenlight() throws Exception {
    if (greenlight != null) {
      greenlight.kill();
    }
    circleCi.close();
  }

  @Test
  void anApproverApprovesInTasklistAndTheHistoryPageShowsThePathTaken() throws Exception {
    String requestId = requestApprovalOf("main");
    browser = chromium();
    try {
      // The history page asks who you are first.
      browser.get(base + "/history/" + requestId);
      waitFor().until(ExpectedConditions.urlContains("/history/sign-in"));

      // Tasklist: sign in, open the decision task, approve with the form.
      browser.get(base + "/camunda/app/tasklist/default/");
      waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[placeholder='Username']")))
          .sendKeys("alice");
      browser.findElement(By.cssSelector("input[placeholder='Password']")).sendKeys("alice-password");
      browser.findElement(By.cssSelector("button[type='submit']")).click();
      waitFor().until(ExpectedConditions.elementToBeClickable(By.xpath("//*[contains(@class,'task')]//*[contains(text(),'Decide on deployment')]")))
          .click();
      // The form is enabled once the task is claimed.
      click(waitFor().until(ExpectedConditions.presenceOfElementLocated(By.xpath("//*[self::a or self::button][normalize-space()='Claim']"))));
      waitFor().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".disabled-form")));
      click(waitFor().until(ExpectedConditions.presenceOfElementLocated(By.xpath("//label[normalize-space()='Approve']"))));
      WebElement project = browser.findElement(By.cssSelector("input[id$='-ProjectSlug']"));
      assertThat(project.getDomProperty("value")).as("the pipeline's details in the form").isEqualTo("gh/acme/shop");
      assertThat(project.getDomAttribute("readonly")).as("read-only").isNotNull();
      // Where the rules stand and what changed, filled into the form's text from the request's variables.
      String form = browser.findElement(By.cssSelector(".fjs-form")).getText();
      assertThat(form).as("the rules' progress in the form").contains("Approvals: approvers: 0 of 1");
      assertThat(form).as("no template left unfilled").doesNotContain("{{");
      browser.findElement(By.cssSelector("textarea[id$='-Comment']")).sendKeys("Looks good in staging");
      screenshot("tasklist-form");
      click(browser.findElement(By.xpath("//button[normalize-space()='Complete']")));
      GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () -> "APPROVED".equals(status(requestId)));

      // The same session opens the history page: the path taken is painted on the diagram.
      browser.get(base + "/history/" + requestId);
      waitFor().until(ExpectedConditions.attributeToBe(By.id("canvas"), "data-rendered", "true"));
      for (String passed : List.of("FindGate", "Route", "Decide", "ApproveGate", "DeploymentApproved", "TellOutcome")) {
        assertThat(browser.findElements(By.cssSelector("g.djs-element.gl-passed[data-element-id='" + passed + "']")))
            .as(passed + " is marked as passed").hasSize(1);
      }
      for (String notPassed : List.of("StopRejectedDeploy", "StopExpiredDeploy", "GateNotFound")) {
        assertThat(browser.findElements(By.cssSelector("g.djs-element.gl-passed[data-element-id='" + notPassed + "']")))
            .as(notPassed + " was not passed").isEmpty();
      }
      assertThat(browser.findElements(By.cssSelector("g.djs-element.gl-ended[data-element-id='RequestClosed']"))).hasSize(1);
      assertThat(browser.findElements(By.cssSelector("g.djs-connection.gl-passed"))).as("sequence flows taken").isNotEmpty();
      assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("APPROVED");
      assertThat(browser.findElement(By.id("changes")).getText()).as("the change on the history page")
          .matches("(?s).*(commits? |No new commits|unknown).*");
      assertThat(browser.findElement(By.cssSelector("#timeline tr.event-answered")).getText())
          .contains("alice").contains("tasklist").contains("approve: Looks good in staging");
      assertThat(browser.findElement(By.cssSelector("#timeline tr.event-circleci-call")).getText()).contains("approve: HTTP 202");
      assertThat(browser.findElement(By.cssSelector("#timeline tr.event-outcome")).getText()).contains("APPROVED");
      assertThat(browser.findElement(By.id("timeline")).getText()).contains("Routed").contains("Gate found");
      ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
      screenshot("history");
    } finally {
      browser.quit();
    }
  }

  @Test
  void theTeamReviewsAnEmergencyDeployInTasklistTheMorningAfter() throws Exception {
    GreenlightTestClient.Answer frozen = client.postJson("/api/freezes", basic("admin", "browser-admin-password"), """
        {"projects": "gh/acme/payments", "ends_at": "%s", "reason": "INC-9 payments outage"}
        """.formatted(java.time.Instant.now().plus(Duration.ofHours(2))));
    assertThat(frozen.status()).as(frozen.raw().body()).isEqualTo(201);
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold", "gh/acme/payments");
    GreenlightTestClient.Answer created = client.postJson("/api/approvals", bearer(API_KEY), """
        {"project_slug": "gh/acme/payments", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "main", "summary": "Hotfix"}""".formatted(workflowId));
    String id = created.body().get("id").asText();
    GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () -> client.postJson("/api/approvals/" + id + "/decision",
        basic("ivan", "ivan-password"), "{\"decision\": \"approve\", \"comment\": \"Hotfix for INC-9\"}").status() == 200);
    GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () -> "APPROVED".equals(status(id)));

    browser = chromium();
    try {
      browser.get(base + "/camunda/app/tasklist/default/");
      waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[placeholder='Username']")))
          .sendKeys("bob");
      browser.findElement(By.cssSelector("input[placeholder='Password']")).sendKeys("bob-password");
      browser.findElement(By.cssSelector("button[type='submit']")).click();
      waitFor().until(ExpectedConditions.elementToBeClickable(By.xpath("//*[contains(@class,'task')]//*[contains(text(),'Review emergency deploy')]")))
          .click();
      click(waitFor().until(ExpectedConditions.presenceOfElementLocated(By.xpath("//*[self::a or self::button][normalize-space()='Claim']"))));
      waitFor().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".disabled-form")));
      assertThat(browser.findElement(By.cssSelector("input[id$='-BreakGlassBy']")).getDomProperty("value")).isEqualTo("ivan");
      assertThat(browser.findElement(By.cssSelector("textarea[id$='-BreakGlassReason']")).getDomProperty("value"))
          .isEqualTo("Hotfix for INC-9");
      click(browser.findElement(By.xpath("//label[normalize-space()='Concern']")));
      browser.findElement(By.cssSelector("textarea[id$='-Comment']")).sendKeys("Should have waited for the rollback");
      screenshot("tasklist-review");
      click(browser.findElement(By.xpath("//button[normalize-space()='Complete']")));
      GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () -> client.get("/api/approvals/" + id, basic("alice", "alice-password"))
          .body().get("timeline").toString().contains("Emergency deploy reviewed"));
      assertThat(client.get("/api/approvals/" + id, basic("alice", "alice-password")).body().get("timeline").toString())
          .contains("concern: Should have waited for the rollback");
    } finally {
      browser.quit();
      client.send(client.request("/api/freezes/" + frozen.body().get("id").asText(), basic("admin", "browser-admin-password"))
          .DELETE().build());
    }
  }

  @Test
  void theHistoryListSignsInWithTheTasklistAccountAndFilters() throws Exception {
    String requestId = requestApprovalOf("hotfix/login");
    browser = chromium();
    try {
      browser.get(base + "/history?project_slug=gh/acme/shop");
      waitFor().until(ExpectedConditions.urlContains("/history/sign-in"));
      browser.findElement(By.name("username")).sendKeys("bob");
      browser.findElement(By.name("password")).sendKeys("wrong-password");
      browser.findElement(By.cssSelector("#sign-in button")).click();
      assertThat(waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-error"))).getText())
          .contains("Wrong user or password");
      // Camunda delays a user's next sign-in after a wrong password (seconds, growing); alice signs in instead.
      browser.findElement(By.name("username")).clear();
      browser.findElement(By.name("username")).sendKeys("alice");
      browser.findElement(By.name("password")).sendKeys("alice-password");
      browser.findElement(By.cssSelector("#sign-in button")).click();
      waitFor().until(ExpectedConditions.urlContains("/history?project_slug="));
      WebElement row = waitFor().until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("a[href='/history/" + requestId + "']")));
      assertThat(row.findElement(By.xpath("./ancestor::tr")).getText()).contains("hotfix/login").contains("PENDING");
      screenshot("history-list");

      row.click();
      waitFor().until(ExpectedConditions.attributeToBe(By.id("canvas"), "data-rendered", "true"));
      assertThat(browser.findElements(By.cssSelector("g.djs-element.gl-current[data-element-id='Decide']")))
          .as("the pending request waits at the decision").hasSize(1);
      assertThat(browser.findElement(By.id("timeline")).getText()).contains("row 2 (RuleHotfix)");
    } finally {
      browser.quit();
    }
  }

  private static String requestApprovalOf(String branch) {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    circleCi.triggeredBy(workflowId, "octocat", branch, FakeCircleCi.DEFAULT_REVISION);
    GreenlightTestClient.Answer created = client.postJson("/api/approvals", bearer(API_KEY), """
        {"project_slug": "gh/acme/shop", "workflow_id": "%s", "approval_job": "hold", "requested_by": "octocat",
         "branch": "%s", "summary": "Release 2.4"}""".formatted(workflowId, branch));
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("id").asText();
    try {
      GreenlightProcess.awaitUntil(Duration.ofSeconds(60), () ->
          client.get("/api/approvals/" + id, basic("alice", "alice-password")).body().at("/links/tasklist").asText().contains("task="));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return id;
  }

  private static String status(String id) {
    return client.get("/api/approvals/" + id, basic("alice", "alice-password")).body().get("status").asText();
  }

  /** Tasklist's fixed header can cover an element near the bottom of the window: scroll it to the middle first. */
  private void click(WebElement element) {
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    waitFor().until(ExpectedConditions.elementToBeClickable(element)).click();
  }

  private WebDriverWait waitFor() {
    return new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  private void screenshot(String name) throws Exception {
    Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  /** Headless Debian chromium; no network of its own (this machine has none), no downloads of drivers. */
  static WebDriver chromium() throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium; .ci/run does)").exists();
    assertThat(CHROMEDRIVER).as("Debian's chromium-driver (apt-get install chromium-driver; .ci/run does)").exists();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
        "--window-size=1600,1100", "--user-data-dir=" + Files.createTempDirectory("greenlight-chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
