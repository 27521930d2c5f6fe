package io.windowpane.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Flink session cluster as it runs in production, on loopback: a job manager and task managers, each a JVM of its
 * own started from Flink's own entry points ({@code StandaloneSessionClusterEntrypoint}, {@code TaskManagerRunner}),
 * with only Flink on their class path, so jobs submitted to it must bring their own classes. A test can kill a task
 * manager with SIGKILL, as a lost host.
 */
public final class FlinkStandaloneCluster implements AutoCloseable {

  private static final String OPENS = "--add-opens=java.base/java.util=ALL-UNNAMED";

  private final Path dir;
  private final int restPort;
  private final String classPath;
  private final Process jobManager;
  private final List<Process> taskManagers = new ArrayList<>();

  private FlinkStandaloneCluster(Path dir, int restPort, String classPath, Process jobManager) {
    this.dir = dir;
    this.restPort = restPort;
    this.classPath = classPath;
    this.jobManager = jobManager;
  }

  /** Starts the job manager and {@code taskManagers} task managers of {@code slots} slots each; returns when up. */
  public static FlinkStandaloneCluster start(Path dir, int taskManagers, int slots) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    // Ports 0: the job manager's servers bind ports the system chooses, read back from its log, so that no port is
    // picked ahead and taken by another process before the server binds it
    String settings = String.join("\n",
        "jobmanager.rpc.address: 127.0.0.1",
        "jobmanager.bind-host: 127.0.0.1",
        "rest.address: 127.0.0.1",
        "rest.bind-address: 127.0.0.1",
        "rest.port: 0",
        "taskmanager.host: 127.0.0.1",
        "taskmanager.bind-host: 127.0.0.1",
        "taskmanager.numberOfTaskSlots: " + slots,
        // a job's subtasks on different task managers, so that losing one loses part of every stage
        "cluster.evenly-spread-out-slots: true",
        // a killed task manager is noticed within seconds
        "heartbeat.interval: 1000",
        "heartbeat.timeout: 5000",
        "metrics.fetcher.update-interval: 1000",
        // The REST API's metric fetcher waits for every task manager's answer before it fetches again, up to this
        // timeout (default 10 min): a query in flight to the killed task manager froze every metric, watermarks
        // included, so drains after the failover could not be confirmed (seen in 2 of about 8 runs)
        "web.timeout: 30000",
        "io.tmp.dirs: " + tmp,
        "jobmanager.memory.process.size: 640m",
        // what Flink's start scripts compute for a task manager (BashJavaUtils), set outright
        "taskmanager.cpu.cores: 2",
        "taskmanager.memory.framework.heap.size: 64m",
        "taskmanager.memory.framework.off-heap.size: 64m",
        "taskmanager.memory.task.heap.size: 256m",
        "taskmanager.memory.task.off-heap.size: 0m",
        "taskmanager.memory.network.min: 64m",
        "taskmanager.memory.network.max: 64m",
        "taskmanager.memory.managed.size: 32m",
        "taskmanager.memory.jvm-metaspace.size: 256m",
        "taskmanager.memory.jvm-overhead.min: 64m",
        "taskmanager.memory.jvm-overhead.max: 64m",
        "");
    Files.writeString(conf.resolve("flink-conf.yaml"), settings + "jobmanager.rpc.port: 0\n");
    // Without a configuration logback logs at DEBUG: megabytes per minute from each JVM, on the test's two cores
    Files.writeString(conf.resolve("logback.xml"), String.join("\n",
        "<configuration>",
        "  <appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">",
        "    <encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger - %msg%n</pattern></encoder>",
        "  </appender>",
        "  <root level=\"INFO\"><appender-ref ref=\"out\"/></root>",
        "</configuration>", ""));
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(FlinkStandaloneCluster::isFlinkClusterJar).collect(Collectors.joining(File.pathSeparator));
    Process jobManager = jvm(dir, classPath, "jobmanager.log",
        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", conf);
    int rpcPort = boundPort(dir, jobManager, "Actor system started at pekko\\.tcp://flink@127\\.0\\.0\\.1:(\\d+)");
    int restPort = boundPort(dir, jobManager, "Rest endpoint listening at 127\\.0\\.0\\.1:(\\d+)");
    // the task managers find the job manager at its RPC port: their configuration names the one it bound
    Path taskManagerConf = Files.createDirectories(dir.resolve("conf-taskmanager"));
    Files.writeString(taskManagerConf.resolve("flink-conf.yaml"), settings + "jobmanager.rpc.port: " + rpcPort + "\n");
    Files.copy(conf.resolve("logback.xml"), taskManagerConf.resolve("logback.xml"));
    FlinkStandaloneCluster cluster = new FlinkStandaloneCluster(dir, restPort, classPath, jobManager);
    for (int i = 0; i < taskManagers; i++) {
      cluster.startTaskManager();
    }
    cluster.awaitTaskManagers(taskManagers);
    return cluster;
  }

  public int restPort() {
    return restPort;
  }

  /** Starts one more task manager. */
  public void startTaskManager() throws IOException {
    taskManagers.add(jvm(dir, classPath, "taskmanager-" + taskManagers.size() + ".log",
        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", dir.resolve("conf-taskmanager")));
  }

  /** SIGKILL to one task manager's JVM; returns once it is gone. */
  public void killTaskManager(int index) throws Exception {
    Process taskManager = taskManagers.get(index);
    taskManager.destroyForcibly();
    taskManager.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Waits until this many task managers are registered with the job manager (a killed one is unregistered). */
  public void awaitTaskManagers(int count) throws Exception {
    try {
      Await.until(count + " task managers registered", Duration.ofSeconds(90),
          () -> Actuator.anonymous(restPort).json("/taskmanagers").path("taskmanagers").size() == count);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the job manager's log: "
          + Files.readString(dir.resolve("jobmanager.log")), e);
    }
  }

  /** The port a job manager's server bound, from the line its log says it with; fails if the job manager ends. */
  private static int boundPort(Path dir, Process jobManager, String line) throws Exception {
    Pattern pattern = Pattern.compile(line);
    int[] port = {0};
    Await.until("the job manager's log: " + line, Duration.ofSeconds(90), () -> {
      Matcher matcher = pattern.matcher(Files.readString(dir.resolve("jobmanager.log")));
      if (matcher.find()) {
        port[0] = Integer.parseInt(matcher.group(1));
        return true;
      }
      if (!jobManager.isAlive()) {
        throw new IllegalStateException("the job manager ended: " + Files.readString(dir.resolve("jobmanager.log")));
      }
      return false;
    });
    return port[0];
  }

  @Override
  public void close() {
    taskManagers.forEach(Process::destroyForcibly);
    jobManager.destroyForcibly();
  }

  /** The cluster logs a lot: each JVM writes to a file of its own (a full pipe would block it). */
  private static Process jvm(Path dir, String classPath, String log, String mainClass, Path conf) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, OPENS, "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "-Xmx384m",
        // three cluster JVMs beside the application, a broker and another test on two cores: C1 only and one
        // collector thread, so that compiling and collecting do not crowd out the jobs
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Dlogback.configurationFile=" + conf.resolve("logback.xml"), "-Djava.io.tmpdir=" + dir.resolve("tmp"),
        "-cp", classPath, mainClass, "--configDir", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
  }

  /** Flink and its own dependencies, but no Beam, Spring or application classes. */
  private static boolean isFlinkClusterJar(String entry) {
    List<String> cluster = List.of("/org/apache/flink/", "/com/esotericsoftware/", "/org/apache/commons/",
        "/commons-", "/org/slf4j/", "/ch/qos/logback/", "/org/snakeyaml/", "/com/twitter/", "/org/javassist/",
        "/org/lz4/", "/org/xerial/", "/com/google/code/findbugs/", "/tools/profiler/", "/org/objenesis/");
    return !entry.contains("/org/apache/beam/") && cluster.stream().anyMatch(entry::contains);
  }
}
