package dev.llmproxy.usage;

/** The two shapes in which providers report usage. */
public enum UsageDialect { OPENAI, ANTHROPIC }
