package dev.llmproxy.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a secret into a new file readable by its owner only (mode 0600 where the file system has modes). */
public final class SecretFiles {
    private SecretFiles() {
    }

    /** @throws java.nio.file.FileAlreadyExistsException if the file exists: secrets are never overwritten */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = (content + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
