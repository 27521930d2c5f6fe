package io.windowpane.launch;

import java.util.Optional;

/**
 * The executable jar's main class: decides on the heap-capped relaunch ({@link HeapCappedRelaunch}) before Spring
 * Boot's launcher opens the jar, and hands over to that launcher when the application runs in this JVM.
 *
 * <p>Why: {@code java -jar app.jar} nearly always starts a second JVM, and Spring Boot's {@code JarLauncher} took
 * 0.5 s of the seed batch job's 5 s (indexing the 196 MB jar's 170 nested libraries, then loading the application's
 * main class through them) only for this JVM to start that second one. The build copies this package to the jar's
 * root, beside Spring Boot's loader (pom.xml, {@code jar --update}), where the JVM finds it on its plain class path;
 * so this package uses nothing but the JDK ({@code JarEntryPointTest} checks).
 */
public final class JarEntryPoint {

  /** Spring Boot's launcher, at the root of the executable jar: not a compile-time dependency of the application. */
  static final String SPRING_BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

  private JarEntryPoint() {}

  public static void main(String[] args) throws Throwable {
    // -Djarmode=tools (the fast-start cache's extraction) is Spring Boot's launcher's business alone
    if (System.getProperty("jarmode") == null) {
      Optional<Integer> cappedRun = HeapCappedRelaunch.runCappedIfNeeded(JarEntryPoint.class, args);
      if (cappedRun.isPresent()) {
        System.exit(cappedRun.get());
        return;
      }
    }
    try {
      Class.forName(SPRING_BOOT_LAUNCHER).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
