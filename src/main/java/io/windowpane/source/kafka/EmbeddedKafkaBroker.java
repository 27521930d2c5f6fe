package io.windowpane.source.kafka;

import io.windowpane.launch.TempFolders;
import io.windowpane.net.LoopbackPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * A single-node Kafka broker (KRaft: broker and controller in one process, no ZooKeeper) inside this JVM, on free
 * loopback ports, with its log in a temporary folder that is deleted on {@link #close()}. For
 * {@code agg.kafka.embedded=true} (a demo or a test on a machine with nothing installed), never for production data.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path logDir;
  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafkaBroker(Path logDir, KafkaRaftServer server, String bootstrapServers) {
    this.logDir = logDir;
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats a fresh log folder and starts the broker; returns once it accepts connections. */
  public static EmbeddedKafkaBroker start() {
    return start(0);
  }

  /**
   * The same on a given loopback port ({@code 0}: a free one), for clients that must find it where an earlier run
   * did: a savepoint holds the address of the broker its Kafka reader read from.
   */
  public static EmbeddedKafkaBroker start(int port) {
    Path logDir;
    try {
      logDir = TempFolders.create("windowpane-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the embedded Kafka broker's log folder", e);
    }
    try {
      int brokerPort = port == 0 ? LoopbackPort.free() : port;
      int controllerPort = LoopbackPort.free();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("log.dirs", logDir.toString());
      // One node: every internal topic has one replica, and consumer groups start without the usual 3 s wait.
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("num.partitions", "1");
      props.put("auto.create.topics.enable", "false");
      KafkaConfig config = new KafkaConfig(props);
      new Formatter()
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setDirectories(java.util.List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setControllerListenerName("CONTROLLER")
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .run();
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      String bootstrap = "127.0.0.1:" + brokerPort;
      LOG.info("Embedded Kafka broker (KRaft, single node) listening on {}, log in {}", bootstrap, logDir);
      return new EmbeddedKafkaBroker(logDir, server, bootstrap);
    } catch (Exception e) {
      deleteRecursively(logDir);
      throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getMessage(), e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      deleteRecursively(logDir);
      LOG.info("Embedded Kafka broker stopped");
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      FileSystemUtils.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", dir, e.toString());
    }
  }
}
