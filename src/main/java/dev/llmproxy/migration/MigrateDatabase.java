package dev.llmproxy.migration;

import dev.llmproxy.persistence.OwnerOnlyFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The migration command, run from the exploded WAR with the application stopped:
 * <pre>
 * java -cp 'llm-proxy/WEB-INF/classes:llm-proxy/WEB-INF/lib/*' dev.llmproxy.migration.MigrateDatabase \
 *     --from jdbc:sqlite:/var/lib/llm-proxy/llm-proxy.db \
 *     --to jdbc:postgresql://db.example.com/llmproxy?currentSchema=llmproxy --to-user llmproxy \
 *     --to-password-file /run/secrets/pg
 * </pre>
 * Either side may be SQLite or PostgreSQL. Exit status 0 when the copy is verified, 1 when it is not, 2 on bad
 * arguments or errors, 3 when it refused before changing anything (see {@link Refusals}).
 */
public final class MigrateDatabase {
    static final int VERIFIED = 0;
    static final int NOT_VERIFIED = 1;
    static final int FAILED = 2;
    static final int REFUSED = 3;

    private MigrateDatabase() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Map<String, String> options = parse(args);
            var from = side(options, "from");
            var to = side(options, "to");
            int batch = Integer.parseInt(options.getOrDefault("batch-size", "1000"));
            var result = new DatabaseMigration(out, batch).migrate(from, to);
            return result.verified() ? VERIFIED : NOT_VERIFIED;
        } catch (MigrationRefusedException e) {
            err.println("Refused: " + e.getMessage());
            return REFUSED;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("usage: MigrateDatabase --from <jdbc-url> [--from-user U] [--from-password-file F]"
                    + " --to <jdbc-url> [--to-user U] [--to-password-file F] [--batch-size 1000]");
            return FAILED;
        } catch (Exception e) {
            err.println("Migration failed: " + e);
            return FAILED;
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --option value pairs, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        for (String required : new String[] {"from", "to"}) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return options;
    }

    static DatabaseMigration.Side side(Map<String, String> options, String side) throws IOException {
        String url = options.get(side);
        if (url.startsWith("jdbc:sqlite:")) {
            Optional<Path> file = sqliteFile(url);
            if (file.isPresent() && !Files.exists(file.get())) {
                if (side.equals("from")) { // sqlite-jdbc would create an empty database there
                    throw new MigrationRefusedException("The source " + url + " does not exist: expected the SQLite"
                            + " database file the application ran on. Nothing was changed.");
                }
                new OwnerOnlyFiles().createFile(file.get()); // the new database is readable by its owner only
            }
            SQLiteDataSource sqlite = new SQLiteDataSource();
            sqlite.setUrl(url);
            return new DatabaseMigration.Side(sqlite, url);
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            if (options.containsKey(side + "-user")) {
                pg.setUser(options.get(side + "-user"));
            }
            if (options.containsKey(side + "-password-file")) {
                pg.setPassword(Files.readString(Path.of(options.get(side + "-password-file"))).strip());
            }
            return new DatabaseMigration.Side(pg, url.replaceAll("(?i)(password=)[^&]*", "$1***"));
        }
        throw new IllegalArgumentException("--" + side + " must be a jdbc:sqlite: or jdbc:postgresql: URL, got " + url);
    }

    /** The file of a {@code jdbc:sqlite:} URL ({@code /path}, {@code file:/path?...}); empty for an in-memory one. */
    static Optional<Path> sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        return rest.isEmpty() || rest.startsWith(":memory:") ? Optional.empty() : Optional.of(Path.of(rest));
    }
}
