package io.windowpane.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessStateTest {

  @Test
  void aZombieHasEndedThoughJavaCallsItAlive() throws Exception {
    // sh starts `true`, then becomes `sleep 60`, which never reaps it: `true` ends and stays a zombie
    Process parent = new ProcessBuilder("sh", "-c", "true & exec sleep 60").start();
    try {
      Await.until("sh's child", Duration.ofSeconds(30), () -> parent.children().count() == 1);
      ProcessHandle zombie = parent.children().findFirst().orElseThrow();
      Await.until("`true` has ended", Duration.ofSeconds(30), () -> !ProcessState.isRunning(zombie));
      assertThat(zombie.isAlive()).isTrue();
      assertThat(ProcessState.isRunning(zombie)).isFalse();
      assertThat(ProcessState.isRunning(parent.toHandle())).isTrue();
      assertThat(ProcessState.isRunning(ProcessHandle.current().pid())).isTrue();
    } finally {
      parent.destroyForcibly().waitFor();
    }
  }
}
