package dev.llmproxy.project;

/**
 * The installation's data keys, opened at start-up: the HMAC key of token hashes and the audit chain's MAC key.
 * They stay the same across master key rotations, so issued tokens and the written chain stay valid.
 */
public record DataKeys(byte[] tokenHash, byte[] auditChain) {
    public DataKeys {
        tokenHash = tokenHash.clone();
        auditChain = auditChain.clone();
    }

    @Override
    public byte[] tokenHash() {
        return tokenHash.clone();
    }

    @Override
    public byte[] auditChain() {
        return auditChain.clone();
    }

    @Override
    public String toString() {
        return "DataKeys[not shown]";
    }
}
