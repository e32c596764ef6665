package dev.llmproxy.provider;

import dev.llmproxy.config.ProxySettings;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * What a definition signing a request may need beyond the upstream's key: the settings, the clock the signature is
 * dated by, and the credentials of the container's own environment (AWS's default chain: environment variables,
 * system properties, profile files, container and instance metadata), asked for only when a key names them.
 */
public record SigningContext(ProxySettings settings, Clock clock, Supplier<AwsCredentialsIdentity> awsDefaultChain) {
}
