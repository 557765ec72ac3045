package io.greenlight.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The packaged application ({@code target/greenlight.jar}) in a JVM of its own, as it runs in production. */
public final class GreenlightProcess {

  private final Process process;
  private final int port;
  private final Path log;

  private GreenlightProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the jar on {@code port} with {@code arguments} (Spring properties such as {@code --server.port=…}); its output
   * is appended to {@code target/<name>.log}.
   */
  public static GreenlightProcess start(String name, int port, List<String> arguments) {
    return start(name, port, arguments, Path.of("."));
  }

  /** As {@link #start(String, int, List)}, in {@code workingDirectory}: where the default {@code ./data/} database goes. */
  public static GreenlightProcess start(String name, int port, List<String> arguments, Path workingDirectory) {
    return start(name, port, List.of("-Xmx384m"), arguments, workingDirectory);
  }

  /** As {@link #start(String, int, List, Path)}, with these options for the JVM (heap size, a profiler). */
  public static GreenlightProcess start(String name, int port, List<String> jvmOptions, List<String> arguments,
                                        Path workingDirectory) {
    Path jar = Path.of("target", "greenlight.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: integration tests run after 'mvn package'");
    }
    return start(jar, name, port, jvmOptions, arguments, workingDirectory);
  }

  /** As {@link #start(String, int, List, List, Path)}, from another jar (the packaged one extracted, say). */
  public static GreenlightProcess start(Path jar, String name, int port, List<String> jvmOptions, List<String> arguments,
                                        Path workingDirectory) {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
    command.addAll(arguments);
    Path log = Path.of("target", name + ".log").toAbsolutePath();
    try {
      return new GreenlightProcess(new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code java} of the JVM running the tests: the jar runs on the same one. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public GreenlightTestClient client() {
    return new GreenlightTestClient(port);
  }

  /** Waits until {@code /actuator/health} answers 200; fails if the process died or {@code atMost} passed. */
  public Duration awaitHealthy(Duration atMost) throws InterruptedException {
    Instant started = Instant.now();
    GreenlightTestClient client = client();
    awaitUntil(atMost, () -> {
      if (!process.isAlive()) {
        throw new AssertionError("Greenlight exited with " + process.exitValue() + " while starting; see target/*.log");
      }
      try {
        return client.get("/actuator/health", null).status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    return Duration.between(started, Instant.now());
  }

  /** {@code kill -9}: no shutdown hook, no clean-up, whatever was in flight. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** A graceful stop (SIGTERM): Spring shuts down as it would under a service manager. */
  public void stop(Duration atMost) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to end by itself; its exit code. */
  public int awaitExit(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("Greenlight did not stop within " + atMost + "; see " + log);
    }
    return process.exitValue();
  }

  /** Everything the process wrote so far (standard output and error, appended over runs of the same name). */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void awaitUntil(Duration atMost, BooleanSupplier condition) throws InterruptedException {
    awaitUntil(atMost, condition, 250);
  }

  /** As {@link #awaitUntil(Duration, BooleanSupplier)}, looking every {@code everyMillis}. */
  public static void awaitUntil(Duration atMost, BooleanSupplier condition, long everyMillis) throws InterruptedException {
    Instant deadline = Instant.now().plus(atMost);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Not reached within " + atMost + "; see target/*.log");
      }
      Thread.sleep(everyMillis);
    }
  }

  /** A directory of two approvers, alice and bob (passwords {@code <id>-password}), and a CI key for {@code gh/acme/*}. */
  public static Path twoApproversDirectory(Path file, String apiKey) {
    try {
      return Files.writeString(file, """
          users:
            - { id: alice, email: alice@example.com, password: alice-password, groups: [approvers] }
            - { id: bob, email: bob@example.com, password: bob-password, groups: [approvers] }
          groups:
            - id: approvers
          api-clients:
            - { id: ci, key: %s, projects: ["gh/acme/*"] }
          """.formatted(apiKey));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
