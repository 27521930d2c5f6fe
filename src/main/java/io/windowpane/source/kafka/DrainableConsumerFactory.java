package io.windowpane.source.kafka;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The consumers of KafkaIO's {@code UnboundedSource} reader (the live read on Flink): plain {@link KafkaConsumer}s
 * that stop fetching once a drain is requested. That reader has no stop check of its own (KafkaIO's
 * {@code withCheckStopReadingFn} is for the splittable reader only); with no new records, it hands the runner what it
 * has already fetched, and {@link EventTimeWatermarkPolicy} then moves the watermark past every window. The positions
 * of the records the runner took are in the job's checkpoints (and the savepoint the drain ends with), and are
 * committed to the group when that completes.
 *
 * <p>Every call but {@code poll} goes to the consumer unchanged (a {@link Proxy}, so that nothing of the client's
 * large interface is written out here).
 */
record DrainableConsumerFactory(DrainSignal drain)
    implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {

  /** How long a drained poll waits, so that the reader's poll loop does not spin. */
  private static final Duration DRAINED_POLL_WAIT = Duration.ofMillis(100);

  @Override
  @SuppressWarnings("unchecked")
  public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
    Consumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
    AtomicBoolean polled = new AtomicBoolean();
    return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
        new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
          boolean poll = isPoll(method);
          if (poll && polled.compareAndSet(false, true)) {
            DrainHandOver.started(drain.path(), consumer.assignment());
          }
          if (poll && drain.requested()) {
            // polls run one after another on the reader's poll thread: none that could still bring records is under
            // way, so what this consumer fetched is all it will hand over
            DrainHandOver.stopped(drain.path(), consumer.assignment());
            Thread.sleep(DRAINED_POLL_WAIT.toMillis());
            return ConsumerRecords.empty();
          }
          try {
            Object result = method.invoke(consumer, args);
            if (poll) {
              DrainHandOver.fetched(drain.path(), (ConsumerRecords<?, ?>) result);
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static boolean isPoll(Method method) {
    return method.getName().equals("poll") && method.getReturnType() == ConsumerRecords.class;
  }
}
