package dev.llmproxy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.config.InvalidSettingException;
import dev.llmproxy.config.MapSettingSource;
import dev.llmproxy.config.Settings;
import dev.llmproxy.config.SettingsReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingLoaderTest {
    private static final String A = Base64.getEncoder().encodeToString(fill(1));
    private static final String B = Base64.getEncoder().encodeToString(fill(2));

    @TempDir
    Path dir;

    private KeyRing load(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.putIfAbsent("data-dir", dir.toString());
        return new KeyRingLoader(new SecureRandom()).load(Settings.read(new SettingsReader(
                List.of(new MapSettingSource("test", all))), dir));
    }

    @Test
    void theCurrentKeyAndTheRetiredOnesMakeTheRing() {
        KeyRing ring = load(Map.of("encryption-key", B, "encryption-keys-retired", A));
        assertEquals(new MasterKey(fill(2)).id(), ring.current().id());
        assertEquals(List.of(new MasterKey(fill(1)).id()), ring.retiredIds());
        assertTrue(ring.describe().contains("encryption-key setting"));
        assertFalse(ring.describe().contains(A) || ring.describe().contains(B), "ids only");
    }

    @Test
    void badRetiredKeysFailNamingTheSettingAndTheEntryNeverTheValue() {
        for (String bad : List.of(A + ",not-base64!", A + ",", A + "," + B, A + "," + A,
                A + "," + Base64.getEncoder().encodeToString(new byte[16]))) {
            var e = assertThrows(InvalidSettingException.class,
                    () -> load(Map.of("encryption-key", B, "encryption-keys-retired", bad)), bad);
            assertEquals("encryption-keys-retired", e.key());
            assertFalse(e.getMessage().contains(A) || e.getMessage().contains(B), e.getMessage());
        }
    }

    @Test
    void aDataDirectoryItCreatesForTheKeyFileIsOwnerOnly() throws Exception {
        Path data = dir.resolve("new").resolve("data");
        KeyRing ring = load(Map.of("data-dir", data.toString()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("encryption-key"))));
        assertEquals(ring.current().id(), load(Map.of("data-dir", data.toString())).current().id());
    }

    @Test
    void aGeneratedKeyFileIsOwnerOnlyAndReadBackTheSame() throws Exception {
        KeyRing first = load(Map.of());
        Path file = dir.resolve("encryption-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first.current().id(), load(Map.of()).current().id());
        assertTrue(first.currentSource().contains(file.toString()));
    }

    @Test
    void instancesStartingTogetherOnOneDataDirectoryAllReadTheSameWholeKey() throws Exception {
        int instances = 8;
        for (int round = 0; round < 20; round++) {
            Path data = Files.createDirectories(dir.resolve("round-" + round));
            CyclicBarrier together = new CyclicBarrier(instances);
            ExecutorService pool = Executors.newFixedThreadPool(instances);
            try {
                List<Future<String>> ids = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    ids.add(pool.submit(() -> {
                        together.await();
                        return load(Map.of("data-dir", data.toString())).current().id();
                    }));
                }
                Set<String> distinct = ids.stream().map(f -> {
                    try {
                        return f.get();
                    } catch (Exception e) {
                        throw new AssertionError("an instance failed to read the key file", e);
                    }
                }).collect(Collectors.toSet());
                assertEquals(1, distinct.size(), "every instance holds the one key written: " + distinct);
                try (var files = Files.list(data)) {
                    assertEquals(List.of("encryption-key"), files.map(p -> p.getFileName().toString()).toList(),
                            "no temporary file left");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aDamagedKeyFileStopsStartUpSayingWhichFile() throws Exception {
        Files.writeString(dir.resolve("encryption-key"), "c2hvcnQ=\n");
        var e = assertThrows(IllegalStateException.class, () -> load(Map.of()));
        assertTrue(e.getMessage().contains(dir.resolve("encryption-key").toString()), e.getMessage());
        assertFalse(e.getMessage().contains("c2hvcnQ="), e.getMessage());
    }

    private static byte[] fill(int value) {
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) value);
        return raw;
    }
}
