package dev.llmproxy.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Writes a secret into a new file readable by its owner only (mode 0600 where the file system has modes), all at
 * once: the content goes to a temporary file in the same folder first, is forced to disk, and only then gets the
 * file's name, by a hard link, which fails when the name exists (link(2) is atomic and never replaces). So a reader
 * never sees a half-written secret, and of two instances creating the same file at once exactly one wins.
 */
public final class SecretFiles {
    private SecretFiles() {
    }

    /** @throws FileAlreadyExistsException if the file exists: secrets are never overwritten */
    public static void writeOwnerOnly(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            // the folders it makes are the owner's only (a umask can only take bits away from rwx------)
            Files.createDirectories(dir, ownerOnly(dir, "rwx------"));
        }
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly(file, "rw-------"))) {
                channel.write(ByteBuffer.wrap((content + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            publish(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void publish(Path temp, Path file) throws IOException {
        try {
            Files.createLink(file, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            // No hard links here (some network or FAT file systems): a rename is still atomic for readers, but may
            // replace a file created in the moment since the check; the database's key check catches a key lost so.
            if (Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path path, String mode) {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))};
        }
        return new FileAttribute<?>[0];
    }
}
