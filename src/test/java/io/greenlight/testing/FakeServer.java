package io.greenlight.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** A fake of another system's HTTP API on a free loopback port, answering JSON. */
abstract class FakeServer implements AutoCloseable {

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();

  FakeServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    // Many callers at once (concurrency tests, slow answers): each request on a thread of its own.
    server.setExecutor(Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, getClass().getSimpleName());
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
  }

  protected abstract void handle(HttpExchange exchange) throws IOException;

  protected String root() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  protected void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  protected static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
