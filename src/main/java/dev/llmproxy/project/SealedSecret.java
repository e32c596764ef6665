package dev.llmproxy.project;

/** A secret encrypted by {@link KeyCipher}: base64 of nonce + ciphertext + tag, and the id of the key used. */
public record SealedSecret(String keyId, String ciphertext) {}
