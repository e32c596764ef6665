package dev.llmproxy.migration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The migration command, run from the exploded WAR with the application stopped:
 * <pre>
 * java -cp 'llm-proxy/WEB-INF/classes:llm-proxy/WEB-INF/lib/*' dev.llmproxy.migration.MigrateDatabase \
 *     --from jdbc:sqlite:/var/lib/llm-proxy/llm-proxy.db \
 *     --to jdbc:postgresql://db.example.com/llmproxy --to-user llmproxy --to-password-file /run/secrets/pg
 * </pre>
 * Either side may be SQLite or PostgreSQL. Exit status 0 when the copy is verified, 1 when it is not, 2 on bad
 * arguments or errors.
 */
public final class MigrateDatabase {
    private MigrateDatabase() {
    }

    public static void main(String[] args) {
        try {
            Map<String, String> options = parse(args);
            DataSource from = dataSource(options, "from");
            DataSource to = dataSource(options, "to");
            int batch = Integer.parseInt(options.getOrDefault("batch-size", "1000"));
            var result = new DatabaseMigration(System.out, batch).migrate(from, to);
            System.exit(result.verified() ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: MigrateDatabase --from <jdbc-url> [--from-user U] [--from-password-file F]"
                    + " --to <jdbc-url> [--to-user U] [--to-password-file F] [--batch-size 1000]");
            System.exit(2);
        } catch (Exception e) {
            System.err.println("Migration failed: " + e);
            System.exit(2);
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

    static DataSource dataSource(Map<String, String> options, String side) throws java.io.IOException {
        String url = options.get(side);
        if (url.startsWith("jdbc:sqlite:")) {
            SQLiteDataSource sqlite = new SQLiteDataSource();
            sqlite.setUrl(url);
            return sqlite;
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
            return pg;
        }
        throw new IllegalArgumentException("--" + side + " must be a jdbc:sqlite: or jdbc:postgresql: URL, got " + url);
    }
}
