package dev.llmproxy.usage;

import java.time.Instant;

/**
 * One proxied call as recorded. Refused calls have no token usage and, when the token was unknown, no project.
 * {@code costMicros} is null when no price is known for the model ({@code priceMissing}); never a guess.
 * {@code upstream} names the project's upstream that answered after {@code attempts} tries (0: none, for a refusal
 * or a {@code cacheHit}, which costs nothing). {@code api} is the API the call's route reaches ({@code responses},
 * {@code chat.completions}, …), null when the call was refused before it was routed.
 */
public record RequestRecord(String requestId, Instant createdAt, String projectId, String tokenId, String provider,
                            String model, String method, String path, String api, int status, String errorCode, boolean streamed,
                            Integer ttfbMs, int durationMs, TokenUsage usage, Long costMicros, boolean priceMissing,
                            String upstream, int attempts, boolean cacheHit) {

    /** Text from callers is clamped to what its column holds, so the database never refuses a record for it. */
    public RequestRecord {
        model = RecordColumn.MODEL.clamp(model);
        method = RecordColumn.METHOD.clamp(method);
        path = RecordColumn.PATH.clamp(path);
        api = RecordColumn.API.clamp(api);
        provider = RecordColumn.PROVIDER.clamp(provider);
        errorCode = RecordColumn.ERROR_CODE.clamp(errorCode);
        upstream = RecordColumn.UPSTREAM.clamp(upstream);
    }

    public boolean isError() {
        return status >= 400 || errorCode != null;
    }
}
