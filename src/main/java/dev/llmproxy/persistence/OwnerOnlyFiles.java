package dev.llmproxy.persistence;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Files readable by their owner only ({@code rw-------}) and folders only the owner may enter ({@code rwx------}),
 * for the SQLite database and its backups (#14). A file is created with that mode and then chmod-ed to it, so the
 * process's umask (which can only take bits away) does not matter either way. On a file system without POSIX permissions (Windows, some network mounts) it says so once
 * and goes on: there, that file system's own access rules apply.
 */
public final class OwnerOnlyFiles {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Logger LOG = Logger.getLogger(OwnerOnlyFiles.class.getName());

    private final AtomicBoolean toldNoPosix = new AtomicBoolean();

    /** Creates the folder and its missing parents; each one it creates is {@code rwx------}, existing ones are kept. */
    public void createDirectories(Path folder) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = folder.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                if (hasPosix(p)) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(FOLDER)); // never wider, even briefly
                } else {
                    Files.createDirectory(p);
                }
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(p)) {
                    throw e;
                }
                continue; // made by someone else at the same moment: theirs, keep its mode
            }
            setMode(p, FOLDER);
        }
    }

    /**
     * Creates an empty file {@code rw-------}; its mode stays when SQLite later writes a database into it.
     *
     * @throws FileAlreadyExistsException if it exists
     */
    public void createFile(Path file) throws IOException {
        if (hasPosix(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE)); // never wider, even briefly
        } else {
            Files.createFile(file);
        }
        setMode(file, FILE);
    }

    /** Creates the file as {@link #createFile} unless it exists. Returns whether it did. */
    public boolean createFileIfMissing(Path file) throws IOException {
        try {
            createFile(file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Narrows an existing file to its owner (at most {@code rw-------}: the group's and others' bits are taken away),
     * with a warning naming the mode it had; nothing when the file does not exist or is narrow already. A file this process may not chmod (another user's) is warned about and
     * left as it is: start-up goes on.
     */
    public void restrict(Path file, String what) {
        restrict(file, what, Level.WARNING);
    }

    /** As {@link #restrict(Path, String)}, telling of a narrowed file at {@code level} (INFO for a new, empty one). */
    public void restrict(Path file, String what, Level level) {
        if (!Files.exists(file) || !hasPosix(file)) {
            return;
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            // Only the group's and others' bits go: a file its owner made read-only stays read-only.
            Set<PosixFilePermission> narrowed = EnumSet.noneOf(PosixFilePermission.class);
            mode.stream().filter(OWNER::contains).forEach(narrowed::add);
            if (!narrowed.equals(mode)) {
                Files.setPosixFilePermissions(file, narrowed);
                LOG.log(level, () -> what + " " + file + " was " + PosixFilePermissions.toString(mode)
                        + "; restricted it to " + PosixFilePermissions.toString(narrowed)
                        + " (its owner only). See docs/operations.md.");
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warning(() -> "Could not restrict " + what + " " + file + " to its owner (rw-------): " + e
                    + ". Make the user the container runs as its owner, or restrict it by hand (chmod 600).");
        }
    }

    private void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (hasPosix(path)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private boolean hasPosix(Path path) {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return true;
        }
        if (toldNoPosix.compareAndSet(false, true)) {
            LOG.info(() -> "The file system of " + path + " has no POSIX permissions: the database and backup files"
                    + " get that file system's own access rules, not rw-------.");
        }
        return false;
    }
}
