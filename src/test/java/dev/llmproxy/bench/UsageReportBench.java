package dev.llmproxy.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.llmproxy.persistence.DatabaseKind;
import dev.llmproxy.persistence.Page;
import dev.llmproxy.persistence.PageRequest;
import dev.llmproxy.persistence.SchemaMigrator;
import dev.llmproxy.persistence.SqliteConnectionSettings;
import dev.llmproxy.usage.DefaultPrices;
import dev.llmproxy.usage.GroupBy;
import dev.llmproxy.usage.Price;
import dev.llmproxy.usage.PriceTable;
import dev.llmproxy.usage.TokenUsage;
import dev.llmproxy.usage.UsageFilter;
import dev.llmproxy.usage.UsageReports;
import dev.llmproxy.usage.UsageTotals;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Loads N synthetic request records (default 10 million) into a SQLite file and a fresh PostgreSQL database, builds
 * the daily rollup from them, and times the usage report queries of the real {@link UsageReports}. Run it with
 * {@code bench/usage-report.sh}; see bench/README.md.
 *
 * <p>System properties: {@code bench.rows} (10000000), {@code bench.db} (sqlite,postgresql), {@code bench.pg.url}
 * (jdbc:postgresql://127.0.0.1:5432/postgres, user postgres, empty password; the bench creates and drops its own
 * database there), {@code bench.pg.user}, {@code bench.pg.password}, {@code bench.sqlite.file} (a new file under
 * target/bench), {@code bench.keep} (false: keep the databases), {@code bench.seed} (42), {@code bench.runs} (5).
 * To time the queries again on databases kept by an earlier run (same seed), pass {@code bench.sqlite.file} and/or
 * {@code bench.pg.db} with {@code bench.reuse=true}: nothing is loaded, and nothing is deleted or dropped.
 */
public final class UsageReportBench {
    /** The 90 loaded days: 2026-09-01 up to (excluding) 2026-11-30, UTC. */
    static final Instant START = Instant.parse("2026-09-01T00:00:00Z");
    static final int DAYS = 90;
    static final Instant END = START.plus(Duration.ofDays(DAYS));
    /** "A month": 30 whole UTC days. */
    static final Instant MONTH_FROM = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant MONTH_TO = Instant.parse("2026-10-31T00:00:00Z");
    static final Instant EDGE_FROM = Instant.parse("2026-10-03T13:00:00Z");
    static final Instant EDGE_TO = Instant.parse("2026-11-02T09:00:00Z");
    static final double TARGET_MS = 100;

    private static final String COLUMNS = "request_id, created_at, project_id, token_id, provider, model, method,"
            + " path, status, error_code, streamed, ttfb_ms, duration_ms, prompt_tokens, completion_tokens,"
            + " cached_tokens, cache_write_tokens, total_tokens, tokens_estimated, cost_micros, price_missing";
    private static final String ROLLUP_COLUMNS = "day, project_id, token_id, model, requests, errors, prompt_tokens,"
            + " completion_tokens, cached_tokens, cache_write_tokens, total_tokens, cost_micros, unpriced_requests";
    /** The same sums as UsageStore's DailyTotals, per (day, project, token, model); "" stands for none. */
    private static final String ROLLUP_SELECT = " COALESCE(project_id, ''), COALESCE(token_id, ''),"
            + " COALESCE(model, ''), COUNT(*), SUM(CASE WHEN status >= 400 OR error_code IS NOT NULL THEN 1 ELSE 0 END),"
            + " SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(cache_write_tokens),"
            + " SUM(total_tokens), SUM(COALESCE(cost_micros, 0)), SUM(CASE WHEN price_missing THEN 1 ELSE 0 END)"
            + " FROM request_records GROUP BY 1, 2, 3, 4";

    private final long rows;
    private final long seed;
    private final int runs;
    private final boolean keep;
    private final Dataset dataset;

    UsageReportBench(long rows, long seed, int runs, boolean keep) {
        this.rows = rows;
        this.seed = seed;
        this.runs = runs;
        this.keep = keep;
        this.dataset = new Dataset(seed);
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING); // Liquibase and HikariCP chatter
        for (var h : Logger.getLogger("").getHandlers()) {
            h.setLevel(Level.WARNING);
        }
        long rows = Long.getLong("bench.rows", 10_000_000L);
        long seed = Long.getLong("bench.seed", 42L);
        int runs = Integer.getInteger("bench.runs", 5);
        boolean keep = Boolean.getBoolean("bench.keep");
        List<String> dbs = Arrays.stream(System.getProperty("bench.db", "sqlite,postgresql").split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();

        UsageReportBench bench = new UsageReportBench(rows, seed, runs, keep);
        bench.printSetup();
        List<DbResult> results = new ArrayList<>();
        for (String db : dbs) {
            switch (db) {
                case "sqlite" -> results.add(bench.runSqlite());
                case "postgresql", "postgres", "pg" -> results.add(bench.runPostgres());
                default -> throw new IllegalArgumentException("bench.db: unknown database '" + db + "'");
            }
        }
        bench.printSummary(results);
        boolean allMatch = results.stream().allMatch(r -> r.correct);
        if (!allMatch) {
            System.out.println("CORRECTNESS CHECK FAILED");
            System.exit(1);
        }
        System.exit(0); // HikariCP housekeeping threads are daemons, but exec:java waits for non-daemon threads
    }

    // ------------------------------------------------------------------------------------------------ SQLite

    DbResult runSqlite() throws Exception {
        String configured = System.getProperty("bench.sqlite.file");
        Path file = configured != null ? Path.of(configured)
                : Path.of("target", "bench", "usage-bench-" + HexFormat.of().toHexDigits(System.nanoTime()) + ".db");
        boolean reuse = Boolean.getBoolean("bench.reuse") && configured != null && Files.exists(file);
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!reuse) {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        }
        header("SQLite — " + file.toAbsolutePath());
        DbResult result = new DbResult("SQLite");
        HikariDataSource pool = null;
        try {
            if (reuse) {
                try (Connection c = sqliteDriver(file).getConnection()) {
                    System.out.printf(Locale.ROOT, "reusing the loaded file: %,d rows, nothing is loaded%n",
                            count(c, "SELECT COUNT(*) FROM request_records"));
                    result.rollupRows = count(c, "SELECT COUNT(*) FROM usage_daily");
                    result.sizes = sqliteSizes(c, file);
                }
            } else {
                prepareSqlite(file, result);
            }
            System.out.println("sizes: " + result.sizes);

            // Querying: as the application's embedded mode does, HikariCP around the driver, wrapped in
            // SqliteConnectionSettings.
            pool = pool("bench-sqlite", sqliteDriver(file));
            DataSource queryDs = new SqliteConnectionSettings(pool, 5000);
            measure(queryDs, result);
        } finally {
            if (pool != null) {
                pool.close();
            }
            if (!keep && !reuse) {
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(Path.of(file + suffix));
                }
                System.out.println("deleted " + file + " (-Dbench.keep=true keeps it)");
            } else {
                System.out.println("kept " + file.toAbsolutePath());
            }
        }
        return result;
    }

    /** Migrates, loads, builds the rollup and analyzes; fills in the load figures. */
    private void prepareSqlite(Path file, DbResult result) throws Exception {
        // Loading: one plain (unpooled) connection, so its load-only pragmas never reach the query pool.
        SQLiteDataSource plain = sqliteDriver(file);
        SqliteConnectionSettings.enableWal(plain);
        DataSource loadDs = new SqliteConnectionSettings(plain, 5000);
        new SchemaMigrator().migrate(loadDs, DatabaseKind.SQLITE);

        try (Connection c = loadDs.getConnection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
                rs.next();
                System.out.println("SQLite " + rs.getString(1) + " (sqlite-jdbc)");
            }
            try (Statement s = c.createStatement()) {
                // Load-only settings on this connection: no fsync, a 1 GiB page cache (the request_id
                // index is random-order UUIDs). The query pool below uses the application's settings.
                s.execute("PRAGMA synchronous=OFF");
                s.execute("PRAGMA cache_size=-1048576");
            }
            System.out.println("load: PRAGMA synchronous=OFF and cache_size=1 GiB on the load connection only;"
                    + " queries run with the application's settings (WAL, synchronous=NORMAL, default cache)");
            long t0 = System.nanoTime();
            loadSqlite(c);
            result.loadMs = ms(t0);
            System.out.printf(Locale.ROOT, "load: %,d rows in %.1f s (%,.0f rows/s)%n", rows, result.loadMs / 1000,
                    rows / (result.loadMs / 1000));

            t0 = System.nanoTime();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO usage_daily (" + ROLLUP_COLUMNS + ") SELECT created_at / 86400000,"
                        + ROLLUP_SELECT);
            }
            c.commit();
            c.setAutoCommit(true);
            result.rollupMs = ms(t0);
            System.out.printf(Locale.ROOT, "rollup: usage_daily built in %.1f s%n", result.rollupMs / 1000);

            t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            result.analyzeMs = ms(t0);
            System.out.printf(Locale.ROOT, "ANALYZE + WAL checkpoint: %.1f s%n", result.analyzeMs / 1000);
            result.rollupRows = count(c, "SELECT COUNT(*) FROM usage_daily");
            result.sizes = sqliteSizes(c, file);
        }
    }

    private static SQLiteDataSource sqliteDriver(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }

    private void loadSqlite(Connection c) throws SQLException {
        final int batch = 10_000;
        final int commitEvery = 50_000;
        c.setAutoCommit(false);
        Generator g = new Generator(dataset, rows, seed);
        Row r = new Row();
        long t0 = System.nanoTime();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO request_records (" + COLUMNS + ")"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (long i = 0; i < rows; i++) {
                g.next(i, r);
                s.setString(1, r.requestId);
                s.setTimestamp(2, new Timestamp(r.createdAt)); // INTEGER epoch ms, as UsageStore binds it
                s.setString(3, r.projectId);
                s.setString(4, r.tokenId);
                s.setString(5, r.provider);
                s.setString(6, r.model);
                s.setString(7, r.method);
                s.setString(8, r.path);
                s.setInt(9, r.status);
                s.setString(10, r.errorCode);
                s.setBoolean(11, r.streamed);
                if (r.ttfbMs == null) {
                    s.setNull(12, Types.INTEGER);
                } else {
                    s.setInt(12, r.ttfbMs);
                }
                s.setInt(13, r.durationMs);
                s.setLong(14, r.prompt);
                s.setLong(15, r.completion);
                s.setLong(16, r.cached);
                s.setLong(17, r.cacheWrite);
                s.setLong(18, r.prompt + r.completion);
                s.setBoolean(19, r.estimated);
                if (r.costMicros == null) {
                    s.setNull(20, Types.BIGINT);
                } else {
                    s.setLong(20, r.costMicros);
                }
                s.setBoolean(21, r.priceMissing);
                s.addBatch();
                long n = i + 1;
                if (n % batch == 0 || n == rows) {
                    s.executeBatch();
                }
                if (n % commitEvery == 0 || n == rows) {
                    c.commit();
                }
                progress(n, t0);
            }
        }
        c.setAutoCommit(true);
    }

    private static String sqliteSizes(Connection c, Path file) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "file %s", mib(file.toFile().length())));
        long wal = new File(file + "-wal").length();
        if (wal > 0) {
            out.append(String.format(Locale.ROOT, " + WAL %s", mib(wal)));
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name, SUM(pgsize) FROM dbstat WHERE name IN ('request_records', 'usage_daily')"
                        + " OR name LIKE 'ix_request_records%' OR name LIKE 'ux_request_records%'"
                        + " OR name LIKE 'ix_usage_daily%' OR name LIKE 'sqlite_autoindex_usage_daily%'"
                        + " GROUP BY name ORDER BY 2 DESC")) {
            out.append("; ");
            List<String> parts = new ArrayList<>();
            while (rs.next()) {
                parts.add(rs.getString(1) + " " + mib(rs.getLong(2)));
            }
            out.append(String.join(", ", parts));
        } catch (SQLException e) {
            out.append(" (per-table sizes need the dbstat table: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------------ PostgreSQL

    DbResult runPostgres() throws Exception {
        String adminUrl = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = System.getProperty("bench.pg.user", "postgres");
        String password = System.getProperty("bench.pg.password", "");
        String existing = System.getProperty("bench.pg.db");
        boolean reuse = Boolean.getBoolean("bench.reuse") && existing != null;
        String dbName = reuse ? existing
                : "llmproxy_bench_" + HexFormat.of().toHexDigits(new SplittableRandom().nextInt());
        String version;
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement s = admin.createStatement()) {
            version = admin.getMetaData().getDatabaseProductVersion();
            if (!reuse) {
                s.execute("CREATE DATABASE " + dbName);
            }
        }
        String url = replaceDatabase(adminUrl, dbName);
        header("PostgreSQL " + version + " — database " + dbName);
        DbResult result = new DbResult("PostgreSQL");
        HikariDataSource pool = null;
        try {
            PGSimpleDataSource plain = new PGSimpleDataSource();
            plain.setUrl(url);
            plain.setUser(user);
            plain.setPassword(password);
            if (reuse) {
                try (Connection c = plain.getConnection()) {
                    printPgSettings(c);
                    System.out.printf(Locale.ROOT, "reusing the loaded database: %,d rows, nothing is loaded%n",
                            count(c, "SELECT COUNT(*) FROM request_records"));
                    result.rollupRows = count(c, "SELECT COUNT(*) FROM usage_daily");
                    result.sizes = pgSizes(c);
                }
            } else {
                preparePostgres(plain, result);
            }
            System.out.println("sizes: " + result.sizes);

            pool = pool("bench-postgresql", plain);
            measure(pool, result);
        } finally {
            if (pool != null) {
                pool.close();
            }
            if (!keep && !reuse) {
                try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                     Statement s = admin.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
                }
                System.out.println("dropped database " + dbName + " (-Dbench.keep=true keeps it)");
            } else {
                System.out.println("kept database " + dbName + " (" + url + ")");
            }
        }
        return result;
    }

    /** Migrates, loads by COPY, builds the rollup, vacuums and analyzes; fills in the load figures. */
    private void preparePostgres(DataSource plain, DbResult result) throws Exception {
        new SchemaMigrator().migrate(plain, DatabaseKind.POSTGRESQL);
        try (Connection c = plain.getConnection()) {
            printPgSettings(c);
            long t0 = System.nanoTime();
            loadPostgres(c);
            result.loadMs = ms(t0);
            System.out.printf(Locale.ROOT, "load: %,d rows by COPY in %.1f s (%,.0f rows/s)%n", rows,
                    result.loadMs / 1000, rows / (result.loadMs / 1000));

            t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("SET work_mem = '256MB'"); // this session only: the one-off GROUP BY over all rows
                s.executeUpdate("INSERT INTO usage_daily (" + ROLLUP_COLUMNS + ")"
                        + " SELECT floor(extract(epoch from created_at) / 86400)::int," + ROLLUP_SELECT);
                s.execute("RESET work_mem");
            }
            result.rollupMs = ms(t0);
            System.out.printf(Locale.ROOT, "rollup: usage_daily built in %.1f s (work_mem 256MB for this"
                    + " statement's session only)%n", result.rollupMs / 1000);

            t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                // VACUUM as well as ANALYZE: the state autovacuum leaves a table in after a bulk load (hint
                // bits set, visibility map current for index-only scans), not the minutes right after COPY.
                s.execute("VACUUM (ANALYZE) request_records");
                s.execute("VACUUM (ANALYZE) usage_daily");
            }
            result.analyzeMs = ms(t0);
            System.out.printf(Locale.ROOT, "VACUUM (ANALYZE): %.1f s%n", result.analyzeMs / 1000);
            result.rollupRows = count(c, "SELECT COUNT(*) FROM usage_daily");
            result.sizes = pgSizes(c);
        }
    }

    private static String replaceDatabase(String url, String db) {
        // jdbc:postgresql://host:port/name?params
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        if (slash < 0) {
            return url + "/" + db;
        }
        int q = url.indexOf('?', slash);
        return url.substring(0, slash + 1) + db + (q < 0 ? "" : url.substring(q));
    }

    private static void printPgSettings(Connection c) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (String name : List.of("shared_buffers", "work_mem", "effective_cache_size", "max_parallel_workers_per_gather",
                "random_page_cost", "jit")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
                rs.next();
                parts.add(name + "=" + rs.getString(1));
            }
        }
        System.out.println("server settings (unchanged): " + String.join(", ", parts));
    }

    private void loadPostgres(Connection c) throws SQLException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY request_records (" + COLUMNS + ") FROM STDIN");
        try {
            Generator g = new Generator(dataset, rows, seed);
            Row r = new Row();
            StringBuilder sb = new StringBuilder(1 << 21);
            long t0 = System.nanoTime();
            for (long i = 0; i < rows; i++) {
                g.next(i, r);
                sb.append(r.requestId).append('\t');
                appendTimestamp(sb, r.createdAt).append('\t');
                text(sb, r.projectId).append('\t');
                text(sb, r.tokenId).append('\t');
                text(sb, r.provider).append('\t');
                text(sb, r.model).append('\t');
                sb.append(r.method).append('\t');
                sb.append(r.path).append('\t');
                sb.append(r.status).append('\t');
                text(sb, r.errorCode).append('\t');
                sb.append(r.streamed ? 't' : 'f').append('\t');
                if (r.ttfbMs == null) {
                    sb.append("\\N");
                } else {
                    sb.append(r.ttfbMs.intValue());
                }
                sb.append('\t');
                sb.append(r.durationMs).append('\t');
                sb.append(r.prompt).append('\t');
                sb.append(r.completion).append('\t');
                sb.append(r.cached).append('\t');
                sb.append(r.cacheWrite).append('\t');
                sb.append(r.prompt + r.completion).append('\t');
                sb.append(r.estimated ? 't' : 'f').append('\t');
                if (r.costMicros == null) {
                    sb.append("\\N");
                } else {
                    sb.append(r.costMicros.longValue());
                }
                sb.append('\t');
                sb.append(r.priceMissing ? 't' : 'f').append('\n');
                if (sb.length() > (1 << 20)) {
                    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    sb.setLength(0);
                }
                progress(i + 1, t0);
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static StringBuilder text(StringBuilder sb, String value) {
        // generated values never contain tabs, newlines or backslashes
        return value == null ? sb.append("\\N") : sb.append(value);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.SSS+00}, the text form timestamptz accepts. */
    private static StringBuilder appendTimestamp(StringBuilder sb, long epochMs) {
        long day = Math.floorDiv(epochMs, 86_400_000L);
        int msOfDay = (int) Math.floorMod(epochMs, 86_400_000L);
        sb.append(LocalDate.ofEpochDay(day)).append(' ');
        pad2(sb, msOfDay / 3_600_000).append(':');
        pad2(sb, msOfDay / 60_000 % 60).append(':');
        pad2(sb, msOfDay / 1000 % 60).append('.');
        int milli = msOfDay % 1000;
        if (milli < 100) {
            sb.append('0');
        }
        if (milli < 10) {
            sb.append('0');
        }
        return sb.append(milli).append("+00");
    }

    private static StringBuilder pad2(StringBuilder sb, int v) {
        return (v < 10 ? sb.append('0') : sb).append(v);
    }

    private static String pgSizes(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT"
                + " pg_database_size(current_database()),"
                + " pg_relation_size('request_records'), pg_indexes_size('request_records'),"
                + " pg_total_relation_size('usage_daily')")) {
            rs.next();
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "database %s; request_records heap %s + indexes %s; usage_daily %s", mib(rs.getLong(1)),
                    mib(rs.getLong(2)), mib(rs.getLong(3)), mib(rs.getLong(4))));
            try (ResultSet ix = s.executeQuery("SELECT indexrelid::regclass::text, pg_relation_size(indexrelid)"
                    + " FROM pg_index WHERE indrelid = 'request_records'::regclass ORDER BY 2 DESC")) {
                List<String> parts = new ArrayList<>();
                while (ix.next()) {
                    parts.add(ix.getString(1) + " " + mib(ix.getLong(2)));
                }
                out.append(" (").append(String.join(", ", parts)).append(')');
            }
            return out.toString();
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    private static HikariDataSource pool(String name, DataSource driver) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setDataSource(driver);
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    /** The timed report calls, in the order of the brief: (a) to (g). */
    private List<BenchQuery> queries() {
        String big = dataset.bigProject().id;
        String small = dataset.smallProject().id;
        Optional<Instant> mFrom = Optional.of(MONTH_FROM);
        Optional<Instant> mTo = Optional.of(MONTH_TO);
        UsageFilter bigMonth = new UsageFilter(mFrom, mTo, Optional.of(big), Optional.empty(), Optional.empty(),
                Optional.empty());
        UsageFilter smallMonth = new UsageFilter(mFrom, mTo, Optional.of(small), Optional.empty(), Optional.empty(),
                Optional.empty());
        UsageFilter allMonth = new UsageFilter(mFrom, mTo, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        UsageFilter bigEdges = new UsageFilter(Optional.of(EDGE_FROM), Optional.of(EDGE_TO), Optional.of(big),
                Optional.empty(), Optional.empty(), Optional.empty());
        return List.of(
                totals("a", "big project, 30 days, group_by=day", bigMonth, GroupBy.DAY),
                totals("b", "big project, 30 days, group_by=model", bigMonth, GroupBy.MODEL),
                totals("c", "small project, 30 days, no grouping", smallMonth, GroupBy.NONE),
                totals("d", "all projects, 30 days, group_by=project", allMonth, GroupBy.PROJECT),
                totals("e", "big project, 10-03T13:00 to 11-02T09:00, group_by=day", bigEdges, GroupBy.DAY),
                requests("f", "requests() big project, 30 days, page 1 (50)", bigMonth, new PageRequest(1, 50)),
                requests("g", "requests() big project, 30 days, page 100 (50)", bigMonth, new PageRequest(100, 50)));
    }

    private static BenchQuery totals(String id, String label, UsageFilter filter, GroupBy groupBy) {
        return new BenchQuery(id, label, reports -> {
            Map<String, UsageTotals> t = reports.totals(filter, groupBy);
            long requests = t.values().stream().mapToLong(UsageTotals::requests).sum();
            return String.format(Locale.ROOT, "%d group(s), %,d requests", t.size(), requests);
        });
    }

    private static BenchQuery requests(String id, String label, UsageFilter filter, PageRequest page) {
        return new BenchQuery(id, label, reports -> {
            Page<Map<String, Object>> p = reports.requests(filter, page);
            return String.format(Locale.ROOT, "%d item(s) of %,d", p.items().size(), p.total());
        });
    }

    private void measure(DataSource ds, DbResult result) throws SQLException {
        UsageReports reports = new UsageReports(ds, Clock.fixed(END, ZoneOffset.UTC));
        verify(ds, reports, result);
        System.out.printf(Locale.ROOT, "%nqueries (1 untimed first run, then %d timed runs; ms)%n", runs);
        System.out.printf(Locale.ROOT, "  %-58s %9s %9s %9s  %s%n", "query", "1st", "median", "max", "result");
        for (BenchQuery q : queries()) {
            long t0 = System.nanoTime();
            String outcome = q.call.run(reports);
            double first = ms(t0);
            double[] times = new double[runs];
            for (int i = 0; i < runs; i++) {
                t0 = System.nanoTime();
                q.call.run(reports);
                times[i] = ms(t0);
            }
            double[] sorted = times.clone();
            Arrays.sort(sorted);
            double median = runs % 2 == 1 ? sorted[runs / 2] : (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;
            Figure f = new Figure(q.id, q.label, first, median, sorted[runs - 1], outcome);
            result.figures.add(f);
            System.out.printf(Locale.ROOT, "  %-58s %9.1f %9.1f %9.1f  %s%s%n", q.id + ") " + q.label, f.first,
                    f.median, f.max, f.outcome, f.max < TARGET_MS ? "" : "  [over " + (int) TARGET_MS + " ms]");
        }
    }

    /**
     * (a) through the rollup against the raw rows, and (e), whose partial edge days come from raw rows, against one
     * direct sum over the whole range.
     */
    private void verify(DataSource ds, UsageReports reports, DbResult result) throws SQLException {
        String big = dataset.bigProject().id;
        result.correct = true;
        for (Instant[] range : List.of(new Instant[] {MONTH_FROM, MONTH_TO}, new Instant[] {EDGE_FROM, EDGE_TO})) {
            UsageFilter f = new UsageFilter(Optional.of(range[0]), Optional.of(range[1]), Optional.of(big),
                    Optional.empty(), Optional.empty(), Optional.empty());
            Map<String, UsageTotals> t = reports.totals(f, GroupBy.DAY);
            long requests = 0;
            long tokens = 0;
            long cost = 0;
            long errors = 0;
            for (UsageTotals u : t.values()) {
                requests += u.requests();
                tokens += u.totalTokens();
                cost += u.costMicros();
                errors += u.errors();
            }
            long[] direct = new long[4];
            try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT COUNT(*), SUM(total_tokens), SUM(COALESCE(cost_micros, 0)), SUM(CASE WHEN status >= 400"
                            + " OR error_code IS NOT NULL THEN 1 ELSE 0 END) FROM request_records"
                            + " WHERE project_id = ? AND created_at >= ? AND created_at < ?")) {
                s.setString(1, big);
                s.setTimestamp(2, Timestamp.from(range[0]));
                s.setTimestamp(3, Timestamp.from(range[1]));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    for (int i = 0; i < 4; i++) {
                        direct[i] = rs.getLong(i + 1);
                    }
                }
            }
            boolean match = requests == direct[0] && tokens == direct[1] && cost == direct[2] && errors == direct[3];
            result.correct &= match;
            String line = String.format(Locale.ROOT, "%s..%s: report %,d requests / %,d tokens / %,d cost_micros /"
                            + " %,d errors; direct SELECT %,d / %,d / %,d / %,d -> %s", range[0], range[1], requests,
                    tokens, cost, errors, direct[0], direct[1], direct[2], direct[3], match ? "MATCH" : "MISMATCH");
            result.checks.add(line);
            System.out.println("check " + line);
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    private void printSetup() {
        System.out.printf(Locale.ROOT, "LLM Proxy usage report bench: %,d request records over %d days (%s to %s, UTC),"
                        + " seed %d%n", rows, DAYS, START, END, seed);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s max heap, %s %s, Java %s%n",
                Runtime.getRuntime().availableProcessors(), mib(Runtime.getRuntime().maxMemory()),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        Project big = dataset.bigProject();
        Project small = dataset.smallProject();
        System.out.printf(Locale.ROOT, "data: %d projects, %d tokens, %d models; big project %s (%.1f%% of rows, %d"
                        + " tokens), small project %s (%.2f%% of rows, %d tokens); ~%.1f%% refused (no project),"
                        + " ~3%% errors in all%n", dataset.projects.length, dataset.tokenCount(), dataset.models.length,
                big.id, big.share * 100, big.tokens.length, small.id, small.share * 100, small.tokens.length,
                Generator.REFUSED * 100);
        System.out.println("models: " + String.join(", ", Arrays.stream(dataset.models).map(m -> m.name).toList()));
    }

    private void printSummary(List<DbResult> results) {
        header("Summary: " + String.format(Locale.ROOT, "%,d", rows) + " rows; ms, warm, median / max of "
                + runs + " runs; target < " + (int) TARGET_MS + " ms");
        StringBuilder head = new StringBuilder("| Query |");
        StringBuilder rule = new StringBuilder("|---|");
        for (DbResult r : results) {
            head.append(' ').append(r.name).append(" median | ").append(r.name).append(" max |");
            rule.append("---:|---:|");
        }
        System.out.println(head);
        System.out.println(rule);
        if (!results.isEmpty()) {
            for (int i = 0; i < results.get(0).figures.size(); i++) {
                Figure f0 = results.get(0).figures.get(i);
                StringBuilder line = new StringBuilder("| (" + f0.id + ") " + f0.label + " |");
                for (DbResult r : results) {
                    Figure f = r.figures.get(i);
                    line.append(String.format(Locale.ROOT, " %.1f | %.1f%s |", f.median, f.max,
                            f.max < TARGET_MS ? "" : " ⚠"));
                }
                System.out.println(line);
            }
        }
        System.out.println();
        System.out.println("| Database | Load | Rollup build | ANALYZE | usage_daily rows | Sizes | Correctness |");
        System.out.println("|---|---:|---:|---:|---:|---|---|");
        for (DbResult r : results) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %,d | %s | %s |%n", r.name, seconds(r.loadMs),
                    seconds(r.rollupMs), seconds(r.analyzeMs), r.rollupRows, r.sizes,
                    r.correct ? "match" : "MISMATCH");
        }
    }

    private static String seconds(double ms) {
        return ms < 0 ? "reused" : String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    private static void header(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    private void progress(long n, long t0) {
        long step = Math.max(1, rows / 10);
        if (n % step == 0) {
            System.out.printf(Locale.ROOT, "  ... %,d rows (%.0f s)%n", n, ms(t0) / 1000);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    private static String mib(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    @FunctionalInterface
    interface ReportCall {
        String run(UsageReports reports) throws SQLException;
    }

    record BenchQuery(String id, String label, ReportCall call) {}

    record Figure(String id, String label, double first, double median, double max, String outcome) {}

    static final class DbResult {
        final String name;
        double loadMs = -1; // -1: a reused database, not loaded by this run
        double rollupMs = -1;
        double analyzeMs = -1;
        long rollupRows;
        String sizes = "";
        boolean correct;
        final List<String> checks = new ArrayList<>();
        final List<Figure> figures = new ArrayList<>();

        DbResult(String name) {
            this.name = name;
        }
    }

    // ------------------------------------------------------------------------------------------------ data

    /** A model as the proxy sees it: the name requested, its provider, endpoint and the app's price (null: none). */
    static final class Model {
        final String name;
        final String provider;
        final String path;
        final boolean embedding;
        final Price price;

        Model(String name, String provider, String path, boolean embedding, PriceTable prices) {
            this.name = name;
            this.provider = provider;
            this.path = path;
            this.embedding = embedding;
            this.price = prices.find(name).orElse(null);
        }
    }

    static final class Token {
        final String id;
        final int[] models;
        final double[] modelCum;

        Token(String id, int[] models, double[] modelCum) {
            this.id = id;
            this.models = models;
            this.modelCum = modelCum;
        }
    }

    static final class Project {
        final String id;
        final String provider;
        final double share;
        Token[] tokens;
        double[] tokenCum;

        Project(String id, String provider, double share) {
            this.id = id;
            this.provider = provider;
            this.share = share;
        }
    }

    /** 50 projects (one with 20% of the traffic, the rest Zipf-like), ~500 tokens, 12 models. */
    static final class Dataset {
        static final int PROJECTS = 50;
        static final double BIG_SHARE = 0.20;
        static final int TOKENS = 500;

        final Model[] models;
        final Project[] projects;
        final double[] projectCum;

        Dataset(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            PriceTable prices = new PriceTable(DefaultPrices.load());
            models = new Model[] {
                new Model("gpt-4o-mini", "openai", "/v1/chat/completions", false, prices),
                new Model("gpt-4.1-mini-2025-04-14", "openai", "/v1/chat/completions", false, prices),
                new Model("gpt-4o-2024-08-06", "openai", "/v1/chat/completions", false, prices),
                new Model("gpt-5-mini", "openai", "/v1/responses", false, prices),
                new Model("gpt-5", "openai", "/v1/responses", false, prices),
                new Model("gpt-4.1", "openai", "/v1/chat/completions", false, prices),
                new Model("o4-mini", "openai", "/v1/chat/completions", false, prices),
                new Model("text-embedding-3-small", "openai", "/v1/embeddings", true, prices),
                new Model("claude-sonnet-4-5-20250929", "anthropic", "/v1/messages", false, prices),
                new Model("claude-haiku-4-5-20251001", "anthropic", "/v1/messages", false, prices),
                new Model("claude-opus-4-1-20250805", "anthropic", "/v1/messages", false, prices),
                // an OpenAI-compatible self-hosted server (project base_url): no price, so price_missing
                new Model("llama-3.3-70b-instruct", "openai", "/v1/chat/completions", false, prices),
            };
            int[] openai = {0, 1, 2, 3, 4, 5, 6, 7};
            double[] openaiW = {30, 15, 12, 12, 8, 8, 5, 10};
            int[] anthropic = {8, 9, 10};
            double[] anthropicW = {50, 35, 15};
            int[] selfHosted = {11, 0};
            double[] selfHostedW = {80, 20};

            projects = new Project[PROJECTS];
            double[] weights = new double[PROJECTS];
            double rest = 0;
            for (int k = 1; k < PROJECTS; k++) {
                weights[k] = Math.pow(k, -0.7);
                rest += weights[k];
            }
            weights[0] = BIG_SHARE;
            for (int k = 1; k < PROJECTS; k++) {
                weights[k] = weights[k] / rest * (1 - BIG_SHARE);
            }
            projectCum = new double[PROJECTS];
            double acc = 0;
            for (int k = 0; k < PROJECTS; k++) {
                boolean self = k == 7 || k == 23 || k == 41;
                String provider = k % 5 == 1 || k % 5 == 3 ? "anthropic" : "openai";
                Project p = new Project(uuid(r), provider, weights[k]);
                int[] pool = self ? selfHosted : provider.equals("anthropic") ? anthropic : openai;
                double[] poolW = self ? selfHostedW : provider.equals("anthropic") ? anthropicW : openaiW;
                int n = k == 0 ? 60 : Math.max(2, (int) Math.round(weights[k] / (1 - BIG_SHARE) * (TOKENS - 60)));
                p.tokens = new Token[n];
                double[] tw = new double[n];
                for (int t = 0; t < n; t++) {
                    tw[t] = 1.0 / (t + 1);
                    p.tokens[t] = token(r, pool, poolW);
                }
                p.tokenCum = cumulative(tw);
                projects[k] = p;
                acc += weights[k];
                projectCum[k] = acc;
            }
            projectCum[PROJECTS - 1] = 1.0;
        }

        /** A token uses one to three of its project's models, the first for 75% of its calls. */
        private static Token token(SplittableRandom r, int[] pool, double[] poolW) {
            double u = r.nextDouble();
            int n = Math.min(pool.length, u < 0.5 ? 1 : u < 0.85 ? 2 : 3);
            int[] chosen = new int[n];
            boolean[] used = new boolean[pool.length];
            double[] cum = cumulative(poolW);
            for (int i = 0; i < n; i++) {
                int pick;
                do {
                    pick = pick(cum, r.nextDouble());
                } while (used[pick]);
                used[pick] = true;
                chosen[i] = pool[pick];
            }
            double[] w = new double[n];
            w[0] = n == 1 ? 1 : 0.75;
            for (int i = 1; i < n; i++) {
                w[i] = 0.25 / (n - 1);
            }
            return new Token(uuid(r), chosen, cumulative(w));
        }

        Project bigProject() {
            return projects[0];
        }

        Project smallProject() {
            return projects[PROJECTS - 1];
        }

        int tokenCount() {
            return Arrays.stream(projects).mapToInt(p -> p.tokens.length).sum();
        }
    }

    static double[] cumulative(double[] w) {
        double total = Arrays.stream(w).sum();
        double[] cum = new double[w.length];
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i] / total;
            cum[i] = acc;
        }
        cum[w.length - 1] = 1.0;
        return cum;
    }

    static int pick(double[] cum, double u) {
        int i = Arrays.binarySearch(cum, u);
        i = i >= 0 ? i : -i - 1;
        return Math.min(i, cum.length - 1);
    }

    static String uuid(SplittableRandom r) {
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    /** One record, reused: the generator fills it in place. */
    static final class Row {
        String requestId;
        long createdAt;
        String projectId;
        String tokenId;
        String provider;
        String model;
        String method;
        String path;
        int status;
        String errorCode;
        boolean streamed;
        Integer ttfbMs;
        int durationMs;
        long prompt;
        long completion;
        long cached;
        long cacheWrite;
        boolean estimated;
        Long costMicros;
        boolean priceMissing;
    }

    /**
     * Deterministic records in time order (as the proxy writes them), evenly spread over the 90 days: ~111,000 a
     * day at 10 million. About 3% are errors: 0.3% refused by the proxy (unknown token: no project, token or model),
     * upstream 429s, 5xx, 400s, proxy timeouts and streams cut short (status 200 with an error code).
     */
    static final class Generator {
        static final double REFUSED = 0.003;
        private final Dataset d;
        private final long rows;
        private final SplittableRandom r;
        private final long spanMs = Duration.ofDays(DAYS).toMillis();
        private final long startMs = START.toEpochMilli();

        Generator(Dataset d, long rows, long seed) {
            this.d = d;
            this.rows = rows;
            this.r = new SplittableRandom(seed * 31 + 7);
        }

        void next(long i, Row row) {
            long base = startMs + (long) ((double) i * spanMs / rows);
            row.createdAt = Math.min(startMs + spanMs - 1, base + r.nextInt(1000));
            row.requestId = uuid(r);
            row.method = "POST";
            row.errorCode = null;
            row.estimated = false;
            row.cached = 0;
            row.cacheWrite = 0;
            Project p = d.projects[pick(d.projectCum, r.nextDouble())];
            double u = r.nextDouble();
            if (u < REFUSED) {
                row.projectId = null;
                row.tokenId = null;
                row.provider = null;
                row.model = null;
                row.path = r.nextDouble() < 0.7 ? "/v1/chat/completions" : "/v1/messages";
                row.status = 401;
                row.errorCode = "invalid_token";
                row.streamed = false;
                row.ttfbMs = null;
                row.durationMs = 1 + r.nextInt(3);
                row.prompt = 0;
                row.completion = 0;
                price(row, null);
                return;
            }
            Token t = p.tokens[pick(p.tokenCum, r.nextDouble())];
            Model m = d.models[t.models[pick(t.modelCum, r.nextDouble())]];
            row.projectId = p.id;
            row.tokenId = t.id;
            row.provider = p.provider;
            row.model = m.name;
            row.path = m.path;
            row.streamed = !m.embedding && r.nextDouble() < 0.65;
            u = r.nextDouble();
            if (u < 0.027) { // upstream or proxy error, no usage
                row.prompt = 0;
                row.completion = 0;
                if (u < 0.012) {
                    row.status = 429;
                } else if (u < 0.020) {
                    row.status = m.provider.equals("anthropic") && u < 0.014 ? 529 : u < 0.017 ? 500 : 502;
                } else if (u < 0.024) {
                    row.status = 400;
                } else if (u < 0.026) {
                    row.status = 504;
                    row.errorCode = "upstream_timeout";
                } else {
                    row.status = 200; // a stream cut short: tokens counted by the tokenizer
                    row.errorCode = "stream_interrupted";
                    row.streamed = true;
                    row.estimated = true;
                    row.prompt = lognormal(900, 1.0, 20, 150_000);
                    row.completion = lognormal(120, 1.0, 1, 8_000);
                }
                if (row.status == 504) {
                    row.ttfbMs = null;
                    row.durationMs = 60_000 + r.nextInt(500);
                } else {
                    row.ttfbMs = (int) lognormal(row.status == 200 ? 500 : 180, 0.6, 20, 30_000);
                    row.durationMs = row.ttfbMs + (int) (row.completion * (8 + r.nextInt(18)));
                }
                price(row, m);
                return;
            }
            row.status = 200;
            if (m.embedding) {
                row.prompt = lognormal(300, 1.1, 1, 8_000);
                row.completion = 0;
                row.durationMs = (int) lognormal(120, 0.5, 15, 10_000);
                row.ttfbMs = row.durationMs;
            } else {
                row.prompt = lognormal(1200, 1.0, 8, 180_000);
                row.completion = lognormal(280, 0.9, 1, 16_000);
                int perToken = 8 + r.nextInt(18);
                if (row.streamed) {
                    row.ttfbMs = (int) lognormal(450, 0.6, 60, 30_000);
                    row.durationMs = row.ttfbMs + (int) (row.completion * perToken);
                } else {
                    row.durationMs = (int) lognormal(350, 0.5, 60, 30_000) + (int) (row.completion * perToken);
                    row.ttfbMs = row.durationMs;
                }
                double c = r.nextDouble();
                if (m.provider.equals("anthropic")) {
                    if (c < 0.30) {
                        row.cached = (long) (row.prompt * (0.3 + 0.6 * r.nextDouble()));
                    } else if (c < 0.36) {
                        row.cacheWrite = (long) (row.prompt * (0.2 + 0.4 * r.nextDouble()));
                    }
                } else if (row.prompt >= 1024 && c < 0.35) {
                    row.cached = (long) (row.prompt * (0.2 + 0.75 * r.nextDouble())) / 128 * 128;
                }
                row.estimated = r.nextDouble() < 0.005;
            }
            price(row, m);
        }

        /** cost_micros and price_missing exactly as CallRecord.toRecord sets them, with the app's Price. */
        private void price(Row row, Model m) {
            boolean billable = row.prompt + row.completion > 0;
            Price price = m == null ? null : m.price;
            if (price != null) {
                row.costMicros = price.costMicros(new TokenUsage(row.prompt, row.completion, row.cached,
                        row.cacheWrite, 0, row.estimated));
            } else {
                row.costMicros = billable ? null : 0L;
            }
            row.priceMissing = billable && price == null;
        }

        private long lognormal(double median, double sigma, long min, long max) {
            double v = median * Math.exp(sigma * r.nextGaussian());
            return Math.max(min, Math.min(max, Math.round(v)));
        }
    }
}
