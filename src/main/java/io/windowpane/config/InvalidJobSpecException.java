package io.windowpane.config;

/**
 * A configuration value or input specification that cannot work, found while the job is assembled at startup
 * (a missing input file, a malformed scenario). Names the property and the problem so that the failure analysis
 * alone tells the user what to fix; the application exits with code 2.
 */
public class InvalidJobSpecException extends RuntimeException {

  private final String property;
  private final String value;
  private final String problem;

  public InvalidJobSpecException(String property, String value, String problem) {
    this(property, value, problem, null);
  }

  public InvalidJobSpecException(String property, String value, String problem, Throwable cause) {
    super(property + " = '" + value + "': " + problem, cause);
    this.property = property;
    this.value = value;
    this.problem = problem;
  }

  public String property() {
    return property;
  }

  public String value() {
    return value;
  }

  public String problem() {
    return problem;
  }
}
