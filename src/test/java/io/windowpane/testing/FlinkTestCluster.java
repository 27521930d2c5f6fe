package io.windowpane.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A stand-alone Flink session cluster for tests, run in its own JVM on loopback with only Flink on its classpath,
 * so jobs submitted to it must bring their own classes, as on a real cluster. Prints its REST address.
 *
 * <p>Usage: java -cp flink-jars:test-classes io.windowpane.testing.FlinkTestCluster
 */
public final class FlinkTestCluster {

  private FlinkTestCluster() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build());
    cluster.start();
    System.out.println("REST " + cluster.getRestAddress().get().getPort());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
