package io.greenlight.security;

import static io.greenlight.testing.GreenlightTestClient.basic;
import static io.greenlight.testing.GreenlightTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.FakeTwilio;
import io.greenlight.testing.GreenlightApplicationTest;
import io.greenlight.testing.GreenlightTestClient.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One anonymous client that opens many connections and trickles request bodies into them (headers with
 * {@code Content-Length: 60000}, then a byte every 2 s) silences nobody but itself: while 60 such connections come from
 * one address, an approver's signed SMS reply and API decision from another address are answered at once, and the
 * trickling connections are refused or dropped within seconds. Loopback only: 127.0.0.2 is the attacker, 127.0.0.1
 * everyone else, 127.0.0.3 a trusted reverse proxy ({@code greenlight.web.trusted-proxies} in the tests' settings).
 */
class OneClientCostsOnlyItselfTest extends GreenlightApplicationTest {

  private static final String ALICE_PHONE = "+15551230001";
  private static final int CONNECTIONS = 60;
  private static final Duration TRICKLE_EVERY = Duration.ofSeconds(2);
  private static final Duration PROMPT = Duration.ofSeconds(3);

  @Test
  void sixtyTricklingConnectionsFromOneAddressDelayNoOtherClient() throws Exception {
    String bySms = requestApproval();
    String byApi = requestApproval();
    runDueJobs();
    String code = client.get("/api/approvals/" + bySms, bearer(ACME_KEY)).body().get("code").asText();

    // Each claims to forward for another client: from an address that is no trusted proxy, that is not believed.
    List<Trickle> attack = new ArrayList<>();
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        // Half send a first byte of the body with the headers, half the headers alone.
        attack.add(Trickle.start(InetAddress.getByName("127.0.0.2"), port, "/twilio/sms", "10.9." + i + ".1", i % 2 == 0));
      }
      Trickling trickling = Trickling.start(attack);
      Thread.sleep(500);

      long started = System.nanoTime();
      Answer sms = signedSmsReply(ALICE_PHONE, "APPROVE " + code);
      Duration smsTook = Duration.ofNanos(System.nanoTime() - started);
      started = System.nanoTime();
      Answer decision = client.postJson("/api/approvals/" + byApi + "/decision", basic("bob", "bob-password"),
          "{\"decision\": \"approve\"}");
      Duration decisionTook = Duration.ofNanos(System.nanoTime() - started);

      Duration attackLasted = trickling.untilAllClosed(Duration.ofSeconds(16));
      System.out.printf("While %d connections from one address trickled bodies: SMS reply answered %d in %d ms, API "
              + "decision %d in %d ms; the attacker's connections: %s, all closed %d ms after the trickling began%n", CONNECTIONS,
          sms.status(), smsTook.toMillis(), decision.status(), decisionTook.toMillis(), outcomes(attack),
          attackLasted.toMillis());

      assertThat(sms.status()).as(sms.raw().body()).isEqualTo(200);
      assertThat(sms.raw().body()).contains("Recorded: you approved");
      assertThat(smsTook).isLessThan(PROMPT);
      assertThat(decision.status()).as(decision.raw().body()).isEqualTo(200);
      assertThat(decisionTook).isLessThan(PROMPT);
      // The attacker is one client, whatever its X-Forwarded-For says: all but a few of its bodies are refused at once
      // (before its next byte: the server neither waits for it nor holds a thread for it),
      assertThat(attack.stream().filter(trickle -> trickle.status() == 429)).hasSizeGreaterThanOrEqualTo(CONNECTIONS - 8)
          .allSatisfy(refused -> assertThat(refused.closedAfter()).isLessThan(TRICKLE_EVERY.dividedBy(2)));
      // and the few it was allowed are dropped for their rate, before the 10 s a whole body may take have passed.
      assertThat(attack).allSatisfy(trickle -> {
        assertThat(trickle.status()).isIn(408, 429);
        assertThat(trickle.closedAfter()).isLessThan(Duration.ofSeconds(10));
      });
    } finally {
      attack.forEach(Trickle::close);
    }
  }

  @Test
  void behindATrustedProxyEachForwardedClientIsCountedOnItsOwn() throws Exception {
    InetAddress proxy = InetAddress.getByName("127.0.0.3");
    List<Trickle> attack = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        // The proxy appends the address it was connected from; what the client wrote before it is not believed.
        attack.add(Trickle.start(proxy, port, "/twilio/sms", "198.51.100." + i + ", 203.0.113.7", true));
      }
      Trickling trickling = Trickling.start(attack);
      Thread.sleep(500);

      long started = System.nanoTime();
      String reply = throughProxy(proxy, "192.0.2.44", ALICE_PHONE, "HELP");
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      trickling.untilAllClosed(Duration.ofSeconds(16));
      System.out.printf("Behind a trusted proxy, another client's SMS reply was answered in %d ms while one client "
          + "trickled 20 bodies: %s%n", took.toMillis(), outcomes(attack));

      assertThat(reply).startsWith("HTTP/1.1 200").contains("<Response><Message>");
      assertThat(took).isLessThan(PROMPT);
      assertThat(attack.stream().filter(trickle -> trickle.status() == 429)).hasSizeGreaterThanOrEqualTo(20 - 8);
    } finally {
      attack.forEach(Trickle::close);
    }
  }

  /** A byte more on every connection every 2 s, from the start of the attack, on a thread of its own. */
  private record Trickling(List<Trickle> attack, long startedAt, ScheduledExecutorService every) {

    static Trickling start(List<Trickle> attack) {
      ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "trickler");
        thread.setDaemon(true);
        return thread;
      });
      every.scheduleAtFixedRate(() -> attack.forEach(Trickle::trickle), TRICKLE_EVERY.toMillis(), TRICKLE_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
      return new Trickling(attack, System.nanoTime(), every);
    }

    /** Waits until the server has closed every connection or {@code longest} passed; how long the attack lasted. */
    Duration untilAllClosed(Duration longest) throws InterruptedException {
      try {
        long end = startedAt + longest.toNanos();
        while (System.nanoTime() < end && attack.stream().anyMatch(trickle -> !trickle.closedByServer())) {
          Thread.sleep(100);
        }
        return Duration.ofNanos(System.nanoTime() - startedAt);
      } finally {
        every.shutdownNow();
      }
    }
  }

  /** How many connections were answered with which status, and when the last of each was closed by the server. */
  private static Map<Integer, String> outcomes(List<Trickle> attack) {
    return attack.stream().collect(Collectors.groupingBy(Trickle::status, TreeMap::new, Collectors.collectingAndThen(
        Collectors.toList(), answered -> answered.size() + " (the last closed after " + answered.stream()
            .map(Trickle::closedAfter).max(Duration::compareTo).orElseThrow().toMillis() + " ms)")));
  }

  private String requestApproval() {
    String workflowId = UUID.randomUUID().toString();
    circleCi.workflowOnHold(workflowId, "hold");
    return askForApproval(workflowId);
  }

  private Answer signedSmsReply(String from, String text) {
    Map<String, String> form = smsForm(from, text);
    return client.postTwilio("/twilio/sms", form, FakeTwilio.sign(PUBLIC_URL + "/twilio/sms", form));
  }

  private static Map<String, String> smsForm(String from, String text) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    form.put("AccountSid", FakeTwilio.ACCOUNT_SID);
    form.put("From", from);
    form.put("To", FakeTwilio.FROM);
    form.put("Body", text);
    return form;
  }

  /** A signed SMS reply as the proxy forwards it for {@code client}; the raw HTTP answer. */
  private String throughProxy(InetAddress proxy, String client, String from, String text) throws IOException {
    Map<String, String> form = smsForm(from, text);
    String body = form.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(proxy, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout((int) PROMPT.toMillis());
      socket.getOutputStream().write(("POST /twilio/sms HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nX-Forwarded-For: " + client + "\r\n"
          + "X-Twilio-Signature: " + FakeTwilio.sign(PUBLIC_URL + "/twilio/sms", form) + "\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * One connection of the attack: a request's headers, then its body a byte at a time; a thread of its own reads what
   * the server answers, and when it closed the connection.
   */
  private static final class Trickle {
    private final Socket socket;
    private final long openedAt = System.nanoTime();
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
    private volatile long closedAt;

    private Trickle(Socket socket) {
      this.socket = socket;
    }

    static Trickle start(InetAddress from, int port, String path, String forwardedFor, boolean firstByte)
        throws IOException {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      Trickle trickle = new Trickle(socket);
      socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/x-www-form-urlencoded\r\nX-Forwarded-For: " + forwardedFor + "\r\n"
          + "Content-Length: 60000\r\n\r\n" + (firstByte ? "B" : "")).getBytes(StandardCharsets.US_ASCII));
      Thread reader = new Thread(trickle::readAnswer, "trickle-reader");
      reader.setDaemon(true);
      reader.start();
      return trickle;
    }

    private void readAnswer() {
      byte[] buffer = new byte[1024];
      try {
        InputStream in = socket.getInputStream();
        int read;
        while ((read = in.read(buffer)) != -1) {
          synchronized (answer) {
            answer.write(buffer, 0, read);
          }
        }
      } catch (IOException closed) {
        // reset by the server, or closed by the test
      }
      closedAt = System.nanoTime();
    }

    void trickle() {
      try {
        OutputStream out = socket.getOutputStream();
        out.write('A');
        out.flush();
      } catch (IOException closedByTheServer) {
        // the server gave up on this client, as it should
      }
    }

    boolean closedByServer() {
      return closedAt != 0;
    }

    Duration closedAfter() {
      return closedAt == 0 ? Duration.ofDays(1) : Duration.ofNanos(closedAt - openedAt);
    }

    /** The status the server answered, or 0 when it answered nothing. */
    int status() {
      String text;
      synchronized (answer) {
        text = answer.toString(StandardCharsets.US_ASCII);
      }
      return text.startsWith("HTTP/1.1 ") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a test socket
      }
    }
  }
}
