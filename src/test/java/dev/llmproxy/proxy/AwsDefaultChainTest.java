package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmproxy.provider.CredentialsUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A chain that finds nothing is walked once per {@link AwsDefaultChain#FAILURE_HELD_MS}, not once per call (each walk
 * may wait for the instance metadata service); credentials found are handed out as the chain gives them.
 */
class AwsDefaultChainTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger walks = new AtomicInteger();
    private volatile AwsCredentialsIdentity found;

    private final AwsDefaultChain chain = new AwsDefaultChain(() -> {
        walks.incrementAndGet();
        if (found == null) {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain");
        }
        return found;
    }, now::get);

    @Test
    void aFailureIsAnsweredAgainWithoutWalkingTheChainUntilItsTimeIsOver() {
        for (int i = 0; i < 20; i++) {
            assertThrows(CredentialsUnavailableException.class, chain::get);
        }
        assertEquals(1, walks.get(), "one walk for twenty calls within the hold");
        found = AwsCredentialsIdentity.create("AKIDEXAMPLE", "secret");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(AwsDefaultChain.FAILURE_HELD_MS - 1));
        assertThrows(CredentialsUnavailableException.class, chain::get);
        assertEquals(1, walks.get());
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
        assertSame(found, chain.get(), "walked again once the hold is over, and found");
        assertSame(found, chain.get());
        assertEquals(3, walks.get(), "credentials found are asked of the chain, which caches them itself");
    }
}
