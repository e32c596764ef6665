package dev.llmproxy.provider;

import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * A Bedrock upstream's key: an IAM access key as {@code accessKeyId:secretAccessKey}, temporary credentials (STS) as
 * {@code accessKeyId:secretAccessKey:sessionToken}, or {@value #DEFAULT_CHAIN}: the AWS default credentials chain of
 * the container's JVM. Stored sealed like any key; {@link #problem} repeats no part of it.
 */
final class AwsKey {
    static final String DEFAULT_CHAIN = "aws-default-chain";
    static final String FORM = "accessKeyId:secretAccessKey[:sessionToken] or " + DEFAULT_CHAIN;
    /** IAM's access key ids: upper-case letters and digits (AKIA…, ASIA… for temporary ones). */
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("^[A-Z0-9]{16,128}$");
    /** Secrets and session tokens: base64 text, never a colon, space or control character. */
    private static final Pattern SECRET = Pattern.compile("^[\\x21-\\x39\\x3b-\\x7e]+$");

    private AwsKey() {
    }

    static boolean defaultChain(String apiKey) {
        return apiKey.equals(DEFAULT_CHAIN);
    }

    /** The access key id's first three and last four characters, or the default chain's name. */
    static String hint(String apiKey) {
        if (defaultChain(apiKey)) {
            return DEFAULT_CHAIN;
        }
        String id = apiKey.substring(0, Math.max(0, apiKey.indexOf(':')));
        return id.length() < 8 ? "…" : id.substring(0, 3) + "…" + id.substring(id.length() - 4);
    }

    static Optional<String> problem(String apiKey) {
        if (defaultChain(apiKey)) {
            return Optional.empty();
        }
        String[] parts = apiKey.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            return Optional.of("must be " + FORM + "; it has " + parts.length + " part" + (parts.length == 1 ? "" : "s")
                    + " separated by colons");
        }
        if (!ACCESS_KEY_ID.matcher(parts[0]).matches()) {
            return Optional.of("must be " + FORM + "; its access key id is not one (16 to 128 upper-case letters and"
                    + " digits, as AKIA… or ASIA…)");
        }
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].length() > 4096 || !SECRET.matcher(parts[i]).matches()) {
                return Optional.of("must be " + FORM + "; its " + (i == 1 ? "secret access key" : "session token")
                        + " is empty or holds spaces or control characters");
            }
        }
        return Optional.empty();
    }

    /** The credentials a well-formed key that is not {@value #DEFAULT_CHAIN} holds. */
    static AwsCredentialsIdentity credentials(String apiKey) {
        String[] parts = apiKey.split(":", -1);
        if (problem(apiKey).isPresent() || defaultChain(apiKey)) {
            throw new IllegalArgumentException("Not an AWS access key (" + FORM + ")");
        }
        return parts.length == 3 ? AwsSessionCredentialsIdentity.create(parts[0], parts[1], parts[2])
                : AwsCredentialsIdentity.create(parts[0], parts[1]);
    }
}
