package dev.llmproxy.proxy;

import dev.llmproxy.provider.CredentialsUnavailableException;
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
 * Its failure says which sources were tried (the SDK's message names no secret) and sends nothing.
 */
final class AwsDefaultChain implements Supplier<AwsCredentialsIdentity> {
    private volatile DefaultCredentialsProvider chain;

    @Override
    public AwsCredentialsIdentity get() {
        try {
            return provider().resolveCredentials();
        } catch (SdkException e) {
            throw new CredentialsUnavailableException("the AWS default credentials chain found none", e);
        }
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
