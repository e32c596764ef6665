package dev.llmproxy.migration;

/**
 * The migration will not run, and has changed nothing on either side: the source is not an LLM Proxy database (or
 * has nothing in it), or the target is not empty. The message names the URL, the schema and what was expected.
 */
public final class MigrationRefusedException extends RuntimeException {
    public MigrationRefusedException(String message) {
        super(message);
    }
}
