package dev.llmproxy.usage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns the numbers a provider reports under {@code usage} into {@link TokenUsage}. Each number is taken within
 * 0 and {@value #MAX_TOKENS}: a provider (an OpenAI-compatible server can be anything) that reports negative usage
 * must not lower what a budget or a rate limit counts, nor overflow a sum.
 */
public final class ProviderUsage {
    static final long MAX_TOKENS = 1_000_000_000_000L;
    /** Where Google's responses put their usage. */
    static final String GEMINI = "usageMetadata";
    /** What Bedrock adds to the last event of an InvokeModelWithResponseStream stream. */
    static final String BEDROCK_METRICS = "amazon-bedrock-invocationMetrics";
    /** The top-level counts of InvokeModel bodies that report any: Meta Llama's, then Amazon Titan Text's. */
    static final List<String> BEDROCK_BODY_COUNTS = List.of("prompt_token_count", "generation_token_count",
            "inputTextTokenCount", "results.[].tokenCount");
    /**
     * The counts Bedrock puts on every InvokeModel answer whatever the model
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html, response elements).
     */
    static final String BEDROCK_INPUT_HEADER = "X-Amzn-Bedrock-Input-Token-Count";
    static final String BEDROCK_OUTPUT_HEADER = "X-Amzn-Bedrock-Output-Token-Count";
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,40}");

    private ProviderUsage() {
    }

    /**
     * OpenAI (chat, completions, embeddings: {@code prompt_tokens}/{@code completion_tokens}; Responses API:
     * {@code input_tokens}/{@code output_tokens}, https://platform.openai.com/docs/api-reference/responses/object);
     * input counts include cached tokens, output counts include reasoning tokens.
     */
    public static Optional<TokenUsage> openAi(Map<String, Long> n) {
        Long reported = first(n, "usage.prompt_tokens", "usage.input_tokens");
        if (reported == null) {
            return Optional.empty();
        }
        long prompt = orZero(reported);
        long completion = orZero(first(n, "usage.completion_tokens", "usage.output_tokens"));
        long cached = orZero(first(n, "usage.prompt_tokens_details.cached_tokens",
                "usage.input_tokens_details.cached_tokens"));
        long reasoning = orZero(first(n, "usage.completion_tokens_details.reasoning_tokens",
                "usage.output_tokens_details.reasoning_tokens"));
        // a part cannot exceed its whole: an odd server must not make the uncached input negative
        return Optional.of(new TokenUsage(prompt, completion, Math.min(cached, prompt), 0,
                Math.min(reasoning, completion), false));
    }

    /**
     * Anthropic: {@code input_tokens} excludes cache reads and writes, which are reported separately; the
     * normalised prompt count adds them back.
     */
    public static Optional<TokenUsage> anthropic(Map<String, Long> n) {
        Long reported = n.get("usage.input_tokens");
        if (reported == null) {
            return Optional.empty();
        }
        long input = orZero(reported);
        long read = orZero(n.get("usage.cache_read_input_tokens"));
        long write = orZero(n.get("usage.cache_creation_input_tokens"));
        long output = orZero(n.get("usage.output_tokens"));
        return Optional.of(new TokenUsage(input + read + write, output, read, write, 0, false));
    }

    /**
     * Google's {@code usageMetadata} (https://ai.google.dev/api/generate-content#UsageMetadata): the prompt count
     * includes the cached content ({@code cachedContentTokenCount}) and is joined by the tool-use prompt
     * ({@code toolUsePromptTokenCount}), both billed as input; {@code candidatesTokenCount} excludes the thoughts
     * ({@code thoughtsTokenCount}), which are billed as output (https://ai.google.dev/gemini-api/docs/pricing:
     * "output price, including thinking tokens"), so the normalised output adds them, as reasoning tokens.
     */
    public static Optional<TokenUsage> gemini(Map<String, Long> n) {
        Long reported = n.get(GEMINI + ".promptTokenCount");
        if (reported == null) {
            return Optional.empty();
        }
        long prompt = sum(orZero(reported), orZero(n.get(GEMINI + ".toolUsePromptTokenCount")));
        long thoughts = orZero(n.get(GEMINI + ".thoughtsTokenCount"));
        long output = sum(orZero(n.get(GEMINI + ".candidatesTokenCount")), thoughts);
        long cached = orZero(n.get(GEMINI + ".cachedContentTokenCount"));
        return Optional.of(new TokenUsage(prompt, output, Math.min(cached, prompt), 0, thoughts, false));
    }

    /**
     * Bedrock: Converse's {@code usage}
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html),
     * whose {@code inputTokens} excludes the cache reads and writes as Anthropic's does; else the model's own body
     * (InvokeModel with Claude: Anthropic's usage; Llama's {@code prompt_token_count} and
     * {@code generation_token_count}; Titan Text's {@code inputTextTokenCount} and its results' {@code tokenCount});
     * else the {@code amazon-bedrock-invocationMetrics} of a stream.
     */
    public static Optional<TokenUsage> bedrock(Map<String, Long> n) {
        Long converse = n.get("usage.inputTokens");
        if (converse != null) {
            long read = orZero(n.get("usage.cacheReadInputTokens"));
            long write = orZero(n.get("usage.cacheWriteInputTokens"));
            return Optional.of(new TokenUsage(sum(sum(orZero(converse), read), write),
                    orZero(n.get("usage.outputTokens")), read, write, 0, false));
        }
        Optional<TokenUsage> anthropic = anthropic(n);
        if (anthropic.isPresent()) {
            return anthropic;
        }
        for (int i = 0; i < BEDROCK_BODY_COUNTS.size(); i += 2) {
            Long input = n.get(BEDROCK_BODY_COUNTS.get(i));
            if (input != null) {
                return Optional.of(new TokenUsage(orZero(input), orZero(n.get(BEDROCK_BODY_COUNTS.get(i + 1))), 0, 0,
                        0, false));
            }
        }
        Long metered = n.get(BEDROCK_METRICS + ".inputTokenCount");
        if (metered == null) {
            return Optional.empty();
        }
        long read = orZero(n.get(BEDROCK_METRICS + ".cacheReadInputTokenCount"));
        long write = orZero(n.get(BEDROCK_METRICS + ".cacheWriteInputTokenCount"));
        return Optional.of(new TokenUsage(sum(sum(orZero(metered), read), write),
                orZero(n.get(BEDROCK_METRICS + ".outputTokenCount")), read, write, 0, false));
    }

    /**
     * The counts of Bedrock's {@link #BEDROCK_INPUT_HEADER} and {@link #BEDROCK_OUTPUT_HEADER} on an answer, looked
     * up by {@code header} (its values, none when absent): present only when both are there once each, in decimal
     * digits (a sign, a fraction, a repeated header or anything else is ignored), each bounded as the body's numbers.
     */
    public static Optional<TokenUsage> bedrockHeaders(Function<String, List<String>> header) {
        Long input = headerCount(header.apply(BEDROCK_INPUT_HEADER));
        Long output = headerCount(header.apply(BEDROCK_OUTPUT_HEADER));
        return input == null || output == null ? Optional.empty()
                : Optional.of(new TokenUsage(input, output, 0, 0, 0, false));
    }

    /**
     * What a Bedrock answer is recorded with when its headers carry counts: the body's usage when it agrees with
     * them (the same output, and an input the same as the body's uncached input or as its whole prompt), since it
     * also tells cache reads and writes apart; otherwise the headers', which are what Bedrock bills.
     */
    public static TokenUsage bedrockAgreeing(Optional<TokenUsage> body, TokenUsage headers) {
        if (body.isEmpty()) {
            return headers;
        }
        TokenUsage b = body.get();
        long uncached = b.promptTokens() - b.cachedTokens() - b.cacheWriteTokens();
        boolean agrees = b.completionTokens() == headers.completionTokens()
                && (uncached == headers.promptTokens() || b.promptTokens() == headers.promptTokens());
        return agrees ? b : headers;
    }

    private static Long headerCount(List<String> values) {
        if (values == null || values.size() != 1) {
            return null;
        }
        String value = values.get(0).trim();
        if (!DIGITS.matcher(value).matches()) {
            return null;
        }
        // more digits than a long holds counts as the most there can be, as a body's number past a long does
        return value.length() > 18 ? MAX_TOKENS : orZero(Long.parseLong(value));
    }

    /** Two bounded counts added, bounded again. */
    private static long sum(long a, long b) {
        return Math.min(a + b, MAX_TOKENS);
    }

    private static Long first(Map<String, Long> n, String a, String b) {
        Long value = n.get(a);
        return value != null ? value : n.get(b);
    }

    /** A count within 0 and {@value #MAX_TOKENS}: two of them add up without overflowing. */
    static long bounded(long value) {
        return Math.min(Math.max(value, 0), MAX_TOKENS);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : Math.min(Math.max(value, 0), MAX_TOKENS);
    }
}
