import io.windowpane.source.kafka.EmbeddedKafkaBroker;

/** A Kafka broker in a process of its own for the live benchmark (windowpane's single-node KRaft broker). */
public final class BenchBroker {
  public static void main(String[] args) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
      System.out.println("BROKER " + broker.bootstrapServers());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
