package io.greenlight.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.greenlight.testing.GreenlightApplicationTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 300 clients that send a request's headers and then its body a byte at a time (the "slow POST" attack, without
 * credentials, at the unauthenticated webhook and the engine's REST API) hold a few of the server's threads for a
 * while, never all of them: the health check is answered within seconds all along.
 */
class SlowClientsTest extends GreenlightApplicationTest {

  private static final int CLIENTS = 300;
  private static final Duration ATTACK = Duration.ofSeconds(14);

  @Test
  void slowClientsDoNotStarveTheServer() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    List<Long> healthMillis = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(1000);
        String path = i % 2 == 0 ? "/twilio/sms" : "/engine-rest/task/x/complete";
        String type = i % 2 == 0 ? "application/x-www-form-urlencoded" : "application/json";
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type
            + "\r\nContent-Length: 60000\r\n\r\nB").getBytes(StandardCharsets.US_ASCII));
        sockets.add(socket);
      }
      long end = System.nanoTime() + ATTACK.toNanos();
      long nextHealth = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < end) {
        for (Socket socket : sockets) {
          trickle(socket);
        }
        if (System.nanoTime() >= nextHealth) {
          long started = System.nanoTime();
          int status = client.get("/actuator/health", null).status();
          healthMillis.add((System.nanoTime() - started) / 1_000_000);
          assertThat(status).isEqualTo(200);
          nextHealth = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        }
        Thread.sleep(1000);
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    System.out.println("Health answered in (ms) while " + CLIENTS + " clients trickled bodies: " + healthMillis);
    assertThat(healthMillis).hasSizeGreaterThanOrEqualTo(5).allSatisfy(millis -> assertThat(millis).isLessThan(5000));
  }

  /** One more byte of the body; a connection the server has closed is left alone. */
  private static void trickle(Socket socket) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write('A');
      out.flush();
    } catch (IOException closedByTheServer) {
      // the server gave up on this client, as it should
    }
  }
}
