package dev.llmproxy.project;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master keys this instance holds: the current one, which seals everything new, and retired ones, which only
 * open what they sealed until {@code POST /manage/keys/re-encrypt} has re-sealed it under the current key.
 */
public final class KeyRing {
    private final MasterKey current;
    private final String currentSource;
    private final Map<String, MasterKey> byId = new LinkedHashMap<>();

    /** @param currentSource where the current key came from, for messages: "the encryption-key setting" */
    public KeyRing(MasterKey current, String currentSource, List<MasterKey> retired) {
        this.current = current;
        this.currentSource = currentSource;
        byId.put(current.id(), current);
        for (MasterKey key : retired) {
            if (byId.putIfAbsent(key.id(), key) != null) {
                throw new IllegalArgumentException("Master key " + key.id() + " is in the ring twice");
            }
        }
    }

    static KeyRing of(MasterKey current) {
        return new KeyRing(current, "the given key", List.of());
    }

    public MasterKey current() {
        return current;
    }

    /** Where the current key came from: the setting, or the key file's path. */
    public String currentSource() {
        return currentSource;
    }

    public Optional<MasterKey> byId(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public boolean contains(String keyId) {
        return byId.containsKey(keyId);
    }

    /** The retired keys' ids, in the order configured. */
    public List<String> retiredIds() {
        List<String> ids = new ArrayList<>(byId.keySet());
        ids.remove(current.id());
        return Collections.unmodifiableList(ids);
    }

    public KeyCipher cipher(SecureRandom random) {
        return new KeyCipher(this, random);
    }

    /** e.g. "current key 1a2b… (the encryption-key setting), retired 3c4d…" — ids only, never key material. */
    public String describe() {
        String retired = retiredIds().isEmpty() ? "no retired keys" : "retired " + String.join(", ", retiredIds());
        return "current key " + current.id() + " (" + currentSource + "), " + retired;
    }

    @Override
    public String toString() {
        return "KeyRing[" + describe() + "]";
    }
}
