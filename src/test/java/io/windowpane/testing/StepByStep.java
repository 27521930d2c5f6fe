package io.windowpane.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The steps of one run, one claim per test method, in their order ({@code @TestMethodOrder} on a class with one
 * instance, {@code @TestInstance(PER_CLASS)}): each builds on the state the ones before left. Once a step has failed,
 * the later ones are skipped, saying which step failed, instead of failing for its reason again.
 */
public final class StepByStep implements TestWatcher, ExecutionCondition {

  private static final ExtensionContext.Namespace STEPS = ExtensionContext.Namespace.create(StepByStep.class);

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    classStore(context).put("failed", context.getDisplayName());
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      return ConditionEvaluationResult.enabled("a class of steps");
    }
    Object failed = classStore(context).get("failed");
    return failed == null ? ConditionEvaluationResult.enabled("every earlier step passed")
        : ConditionEvaluationResult.disabled("skipped: the earlier step " + failed + " failed");
  }

  private static ExtensionContext.Store classStore(ExtensionContext context) {
    return context.getParent().orElseThrow().getStore(STEPS);
  }
}
