package dev.llmproxy.usage;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens with OpenAI's BPE encodings (jtokkit) when a provider reports no usage: o200k_base for the GPT-4o,
 * GPT-4.1, GPT-5 and o-series families, cl100k_base for everything else (an approximation for other vendors'
 * models; such records are flagged as estimated).
 */
public final class TokenEstimator {
    /** Per-message framing tokens in chat formats (role, separators), as OpenAI's cookbook counts them. */
    private static final int PER_MESSAGE = 4;
    private final EncodingRegistry registry = Encodings.newLazyEncodingRegistry();

    public long count(String model, String text) {
        return text == null || text.isEmpty() ? 0 : encodingFor(model).countTokensOrdinary(text);
    }

    /** The prompt's text by the tokenizer, plus what it counts by rule (images). */
    public long countPrompt(String model, Prompt prompt) {
        return prompt.isEmpty() ? 0 : countMessages(model, prompt.texts()) + prompt.fixedTokens();
    }

    public long countMessages(String model, java.util.List<String> messages) {
        long total = 3;
        for (String m : messages) {
            total += PER_MESSAGE + count(model, m);
        }
        return total;
    }

    private Encoding encodingFor(String model) {
        String m = model == null ? "" : model;
        boolean o200k = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-5")
                || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o");
        return registry.getEncoding(o200k ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE);
    }
}
