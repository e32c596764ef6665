package dev.llmproxy.usage;

import java.util.List;

/**
 * What a request asks the provider to read, for a token estimate: text parts (messages, system prompt, instructions,
 * tool definitions, response schemas) counted with a tokenizer, plus tokens counted by rule (images).
 *
 * @param texts       one entry per message or input part
 * @param fixedTokens tokens the provider bills for parts that are not text (images), by its own rules
 */
public record Prompt(List<String> texts, long fixedTokens) {
    public static final Prompt NONE = new Prompt(List.of(), 0);

    public Prompt {
        texts = List.copyOf(texts);
    }

    public boolean isEmpty() {
        return texts.isEmpty() && fixedTokens == 0;
    }
}
