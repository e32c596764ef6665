package dev.llmproxy.proxy;

import dev.llmproxy.provider.CredentialsUnavailableException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The AWS default credentials chain of the container's JVM (the SDK's {@link DefaultCredentialsProvider}:
 * environment variables, the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties, web identity,
 * profile files, ECS container and EC2 instance metadata), for Bedrock upstreams whose key is
 * {@code aws-default-chain}. Made on first use (most installations never need it) and kept by the application's
 * {@link ProviderCredentials}; the SDK caches and renews what it found. No background refresh: it starts no thread.
 * Its failure says which sources were tried (the SDK's message names no secret) and sends nothing; a failure is
 * answered again for {@value #FAILURE_HELD_MS} ms without walking the chain once more, so that calls arriving while no
 * source has credentials do not each wait for the instance metadata service's timeouts.
 */
final class AwsDefaultChain implements Supplier<AwsCredentialsIdentity> {
    static final long FAILURE_HELD_MS = 5_000;

    private final Supplier<AwsCredentialsIdentity> resolve;
    private final LongSupplier nanoTime;
    private volatile DefaultCredentialsProvider chain;
    private volatile Failure lastFailure;

    /** A walk of the chain that found nothing, and when (in {@link System#nanoTime()}). */
    private record Failure(SdkException cause, long at) {
    }

    AwsDefaultChain() {
        this.resolve = () -> provider().resolveCredentials();
        this.nanoTime = System::nanoTime;
    }

    /** For tests: {@code resolve} stands for the SDK's chain. */
    AwsDefaultChain(Supplier<AwsCredentialsIdentity> resolve, LongSupplier nanoTime) {
        this.resolve = resolve;
        this.nanoTime = nanoTime;
    }

    @Override
    public AwsCredentialsIdentity get() {
        Failure failed = lastFailure;
        if (failed != null && nanoTime.getAsLong() - failed.at() < TimeUnit.MILLISECONDS.toNanos(FAILURE_HELD_MS)) {
            throw unavailable(failed.cause());
        }
        try {
            AwsCredentialsIdentity found = resolve.get();
            lastFailure = null;
            return found;
        } catch (SdkException e) {
            lastFailure = new Failure(e, nanoTime.getAsLong());
            throw unavailable(e);
        }
    }

    private static CredentialsUnavailableException unavailable(SdkException cause) {
        return new CredentialsUnavailableException("the AWS default credentials chain found none", cause);
    }

    private DefaultCredentialsProvider provider() {
        DefaultCredentialsProvider current = chain;
        if (current == null) {
            synchronized (this) {
                current = chain;
                if (current == null) {
                    current = DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(false).build();
                    chain = current;
                }
            }
        }
        return current;
    }
}
