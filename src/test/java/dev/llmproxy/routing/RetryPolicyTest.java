package dev.llmproxy.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Retries that never double a bill (#14): what a POST may be sent again after, and what a GET may. */
class RetryPolicyTest {
    private static final int[] NOT_PROCESSED = {408, 429, 503, 529};
    private static final int[] MAYBE_PROCESSED = {500, 502, 504};
    private static final int[] NOT_WORTH_IT = {200, 400, 401, 403, 404, 413, 422, 501};

    @Test
    void onlyBusyOrFailingStatusesAreWorthRetrying() {
        for (int status : NOT_PROCESSED) {
            assertTrue(RetryPolicy.worthRetrying(status), String.valueOf(status));
            assertTrue(RetryPolicy.notProcessed(status), String.valueOf(status));
        }
        for (int status : MAYBE_PROCESSED) {
            assertTrue(RetryPolicy.worthRetrying(status), String.valueOf(status));
            assertFalse(RetryPolicy.notProcessed(status), status + " may have been processed");
        }
        for (int status : NOT_WORTH_IT) {
            assertFalse(RetryPolicy.worthRetrying(status), String.valueOf(status));
        }
    }

    @Test
    void aPostIsRetriedOnlyAfterStatusesThatSayItWasNotProcessed() {
        RetryPolicy post = RetryPolicy.of("POST", false);
        for (int status : NOT_PROCESSED) {
            assertTrue(post.retriesStatus(status), String.valueOf(status));
        }
        for (int status : MAYBE_PROCESSED) {
            assertFalse(post.retriesStatus(status), status + ": the provider may have billed it");
        }
        for (int status : NOT_WORTH_IT) {
            assertFalse(post.retriesStatus(status), String.valueOf(status));
        }
    }

    @Test
    void aPostIsRetriedAfterAFailureOnlyWhenItsRequestWasNotSentWhole() {
        RetryPolicy post = RetryPolicy.of("POST", false);
        assertTrue(post.retriesFailure(false), "refused, unresolved, TLS, connect timeout, reset while sending");
        assertFalse(post.retriesFailure(true), "a response timeout or a reset once the body was sent");
    }

    @Test
    void theUnsafeSettingAllowsEveryRetryOfAPost() {
        RetryPolicy post = RetryPolicy.of("POST", true);
        assertTrue(post.retriesFailure(true));
        for (int status : MAYBE_PROCESSED) {
            assertTrue(post.retriesStatus(status), String.valueOf(status));
        }
        for (int status : NOT_WORTH_IT) {
            assertFalse(post.retriesStatus(status), "still not worth it: " + status);
        }
    }

    @Test
    void idempotentMethodsAreRetriedAsBefore() {
        for (String method : new String[] {"GET", "HEAD"}) {
            RetryPolicy get = RetryPolicy.of(method, false);
            assertTrue(get.idempotent(), method);
            assertTrue(get.retriesFailure(true), method);
            for (int status : MAYBE_PROCESSED) {
                assertTrue(get.retriesStatus(status), method + " " + status);
            }
        }
        assertEquals(new RetryPolicy(false, false), RetryPolicy.of("PATCH", false));
    }
}
