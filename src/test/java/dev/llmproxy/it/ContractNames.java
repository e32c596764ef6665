package dev.llmproxy.it;

import java.lang.reflect.Method;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;

/**
 * Test names that say which contract a test comes from: {@code ProxyContract.maxRequestsIsExactUnderConcurrency()}
 * rather than the bare method name, so that a failure in TomcatSqliteIT names the contract that broke. Failsafe
 * 3.5.2 writes these names into its XML reports (usePhrasedTestCaseMethodName in pom.xml), but its console summary
 * keeps the method name and, unlike for a superclass, does not show an interface's frame: {@link InFailures}
 * therefore puts the contract's name in front of an assertion's message too.
 */
final class ContractNames extends DisplayNameGenerator.Standard {
    @Override
    public String generateDisplayNameForMethod(Class<?> testClass, Method testMethod) {
        String method = super.generateDisplayNameForMethod(testClass, testMethod);
        Class<?> contract = testMethod.getDeclaringClass();
        return contract.isInterface() ? contract.getSimpleName() + "." + method : method;
    }

    /**
     * Rethrows a contract's failed assertion as the same failure (message, expected and actual values, stack trace,
     * cause) with {@code [ContractName] } before its message. Other exceptions pass unchanged.
     */
    static final class InFailures implements TestExecutionExceptionHandler {
        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
            Class<?> contract = context.getRequiredTestMethod().getDeclaringClass();
            String prefix = "[" + contract.getSimpleName() + "] ";
            if (!contract.isInterface() || !(thrown instanceof AssertionError)
                    || String.valueOf(thrown.getMessage()).startsWith(prefix)) {
                throw thrown;
            }
            String message = prefix + (thrown.getMessage() == null ? "" : thrown.getMessage());
            AssertionFailedError named = thrown instanceof AssertionFailedError f && f.isExpectedDefined()
                    && f.isActualDefined()
                    ? new AssertionFailedError(message, f.getExpected().getValue(), f.getActual().getValue())
                    : new AssertionFailedError(message);
            named.setStackTrace(thrown.getStackTrace());
            if (thrown.getCause() != null) {
                named.initCause(thrown.getCause());
            }
            for (Throwable suppressed : thrown.getSuppressed()) {
                named.addSuppressed(suppressed);
            }
            throw named;
        }
    }
}
