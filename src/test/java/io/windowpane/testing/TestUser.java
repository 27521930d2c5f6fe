package io.windowpane.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The user the tests log in as. The tests' {@code config/application.properties} gives it to every application
 * started on the test classpath, and {@link JarProcess} to every jar it starts (as environment variables, the way
 * docs/operations.md advises: not on a command line anyone on the host can read).
 */
public final class TestUser {

  public static final String NAME = "tester";
  public static final String PASSWORD = "test-password-not-for-production";

  private TestUser() {}

  /** The value of an {@code Authorization} header that logs in as this user. */
  public static String basicAuthorization() {
    return basicAuthorization(NAME, PASSWORD);
  }

  /** The value of an {@code Authorization} header that logs in as {@code name} (HTTP basic). */
  public static String basicAuthorization(String name, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** The environment that gives a jar this user. */
  public static Map<String, String> environment() {
    return Map.of("SPRING_SECURITY_USER_NAME", NAME, "SPRING_SECURITY_USER_PASSWORD", PASSWORD);
  }

  /** A page's URL that a browser opens logged in as this user. */
  public static String browserUrl(int port, String path) {
    return "http://" + NAME + ":" + PASSWORD + "@127.0.0.1:" + port + path;
  }
}
