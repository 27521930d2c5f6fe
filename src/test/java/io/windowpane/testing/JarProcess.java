package io.windowpane.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar ({@code java -jar target/app.jar}) in a process group of its own, as a service manager starts
 * it: a test can kill the whole group with SIGKILL (a crashed host, the out-of-memory killer) without touching its
 * own JVM, or stop it with SIGTERM. The one way the ITs start the jar: each kills what it started by its group in
 * {@code @AfterEach} ({@link #destroyGroup}), whatever happened.
 */
public final class JarProcess {

  private final Process process;
  private final Path log;
  private final Path tmp;

  private JarProcess(Process process, Path log, Path tmp) {
    this.process = process;
    this.log = log;
    this.tmp = tmp;
  }

  /**
   * Starts the jar in {@code dir} with {@code setsid}, stdout and stderr into {@code log}, its temporary files in
   * {@code dir/tmp} (a killed JVM leaves its own behind).
   */
  public static JarProcess start(Path dir, Path log, List<String> args) throws IOException {
    return in(dir).log(log).start(args);
  }

  /** A start of the jar in {@code dir} (its working directory), for a test to set up further. */
  public static Launch in(Path dir) {
    return new Launch(dir);
  }

  /** How the jar is started: where its streams and temporary files go, its JVM options and environment. */
  public static final class Launch {
    private final Path dir;
    private Path log;
    private Path stdout;
    private Path tmp;
    private List<String> jvmArgs = List.of();
    private Map<String, String> env = Map.of();
    private boolean testUser = true;

    private Launch(Path dir) {
      this.dir = dir;
      this.log = dir.resolve("app.log");
      this.tmp = dir.resolve("tmp");
    }

    /** Where stderr goes, and stdout too unless {@link #stdout} is given. */
    public Launch log(Path log) {
      this.log = log;
      return this;
    }

    /** Stdout (the rows, when no output path is set) in a file of its own. */
    public Launch stdout(Path stdout) {
      this.stdout = stdout;
      return this;
    }

    /** The JVM's temporary directory ({@code dir/tmp} unless given). */
    public Launch tmp(Path tmp) {
      this.tmp = tmp;
      return this;
    }

    /** No {@link TestUser}: the application generates a password and logs it, as it does for a user. */
    public Launch withoutTestUser() {
      this.testUser = false;
      return this;
    }

    /** Options for the JVM the user starts, before {@code -jar} (such as {@code -Xmx512m}). */
    public Launch jvmArgs(List<String> jvmArgs) {
      this.jvmArgs = List.copyOf(jvmArgs);
      return this;
    }

    public Launch env(Map<String, String> env) {
      this.env = Map.copyOf(env);
      return this;
    }

    public JarProcess start(List<String> args) throws IOException {
      Path jar = Path.of("target", "app.jar").toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: the jar ITs run after `./mvnw package`");
      }
      Files.createDirectories(tmp);
      List<String> command = new ArrayList<>(List.of("setsid",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.io.tmpdir=" + tmp));
      command.addAll(jvmArgs);
      command.addAll(List.of("-jar", jar.toString()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      if (stdout == null) {
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      } else {
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      }
      if (testUser) {
        builder.environment().putAll(TestUser.environment());
      }
      builder.environment().putAll(env);
      return new JarProcess(builder.start(), log, tmp);
    }
  }

  public long pid() {
    return process.pid();
  }

  /**
   * The HTTP port the application chose ({@code --server.port=0}), read from its log once its web server has
   * started: no port is picked ahead and found taken by the time the application binds it.
   */
  public int port(Duration timeout) throws Exception {
    Pattern started = Pattern.compile("Pane diagram on http://localhost:(\\d+)/");
    int[] port = {0};
    Await.until("the application's web server", timeout, () -> {
      Matcher matcher = started.matcher(log());
      if (matcher.find()) {
        port[0] = Integer.parseInt(matcher.group(1));
        return true;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the application ended with " + process.exitValue() + ":\n" + log());
      }
      return false;
    });
    return port[0];
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** SIGKILL to every process of the group, then waits until they are all gone. */
  public void killGroup() throws Exception {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    signalGroup("-KILL");
    for (ProcessHandle handle : all) {
      Processes.awaitEnded(handle, Duration.ofSeconds(30));
    }
  }

  /** SIGTERM to the process the user started (as {@code kill <pid>}, {@code docker stop} or Kubernetes send it). */
  public void terminate() {
    process.destroy();
  }

  /**
   * Freezes every process of the group for {@code length} (SIGSTOP, then SIGCONT): a step held up as long as that (a
   * stop-the-world pause, a stalled VM). The clocks go on meanwhile, so whatever the job times in wall-clock or
   * monotonic time sees the whole gap at once when it resumes.
   */
  public void pause(Duration length) throws Exception {
    signalGroup("-STOP");
    try {
      Thread.sleep(length.toMillis()); // the pause itself, not a wait for something
    } finally {
      signalGroup("-CONT");
    }
  }

  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Waits for the run to end and returns its exit code. One that has not ended within {@code timeout} is killed with
   * its whole process group (a JVM left behind would slow every test after it on two cores), and fails the test with
   * its log.
   */
  public int awaitExit(Duration timeout) throws Exception {
    if (!waitFor(timeout)) {
      killGroup();
      throw new AssertionError("the application did not end within " + timeout.toSeconds() + " s; killed. Its log:\n"
          + log());
    }
    return process.exitValue();
  }

  /** The JVM's temporary directory, to check what it left behind. */
  public Path tmp() {
    return tmp;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The processes this one started (the heap-capped child JVM). */
  public List<ProcessHandle> children() {
    return process.children().toList();
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  /** When the application logged the first line holding {@code text} (each line starts with its ISO time). */
  public Instant loggedAt(String text) throws IOException {
    String line = log().lines().filter(l -> l.contains(text) && !l.startsWith(" ")).findFirst()
        .orElseThrow(() -> new AssertionError("not logged: " + text));
    return Instant.parse(line.substring(0, line.indexOf(' ')));
  }

  /** Kills what is left, for clean-up after a failed test. */
  public void destroyGroup() {
    try {
      if (process.isAlive() || process.descendants().findAny().isPresent()) {
        signalGroup("-KILL");
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }

  private void signalGroup(String signal) throws IOException, InterruptedException {
    // setsid made the jar's JVM the leader of a new process group whose id is its pid
    Process kill = new ProcessBuilder("kill", signal, "--", "-" + process.pid()).inheritIO().start();
    kill.waitFor(10, TimeUnit.SECONDS);
  }
}
