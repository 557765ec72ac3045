package io.greenlight.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link on loopback in front of a server (PostgreSQL), which a test can cut and restore. {@link #blackhole()} is
 * what a real network cut looks like: established connections stop carrying anything (bytes are swallowed, nothing
 * comes back, nothing is closed) and new connections are accepted but never answered. {@link #refuse()} is the loud
 * kind: every connection is reset and new ones are reset at once. {@link #restore()} forwards again; the connections
 * that lived through the cut are closed (the server gave up on them meanwhile).
 */
public final class CuttableLink implements AutoCloseable {

  private enum Mode { FORWARD, BLACKHOLE, REFUSE }

  private final int targetPort;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.FORWARD;
  /** Bumped by every cut: a connection from an earlier generation never forwards again. */
  private volatile int generation;

  public CuttableLink(int targetPort) {
    this.targetPort = targetPort;
    try {
      server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    daemon("link-accept", this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  public synchronized void blackhole() {
    generation++;
    mode = Mode.BLACKHOLE;
  }

  public synchronized void refuse() {
    generation++;
    mode = Mode.REFUSE;
    sockets.forEach(CuttableLink::reset);
    sockets.clear();
  }

  public synchronized void restore() {
    sockets.forEach(CuttableLink::reset);
    sockets.clear();
    mode = Mode.FORWARD;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    restore();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException closed) {
        return;
      }
      synchronized (this) {
        if (mode == Mode.REFUSE) {
          reset(client);
          continue;
        }
        sockets.add(client);
        if (mode == Mode.BLACKHOLE) {
          continue; // accepted, never read, never answered
        }
        int born = generation;
        try {
          Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          sockets.add(upstream);
          daemon("link-up", () -> pump(client, upstream, born));
          daemon("link-down", () -> pump(upstream, client, born));
        } catch (IOException e) {
          reset(client);
        }
      }
    }
  }

  /** Copies while the link forwards; after a cut, swallows everything (a real cut loses packets, it does not close). */
  private void pump(Socket from, Socket to, int born) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int read; (read = in.read(buffer)) >= 0; ) {
        if (generation == born && mode == Mode.FORWARD) {
          out.write(buffer, 0, read);
          out.flush();
        }
      }
    } catch (IOException closed) {
      // one side went away
    } finally {
      if (generation == born && mode == Mode.FORWARD) {
        reset(from);
        reset(to);
      }
    }
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }
}
