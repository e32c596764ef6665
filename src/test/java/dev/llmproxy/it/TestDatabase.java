package dev.llmproxy.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A fresh database for one test class: a SQLite file or a PostgreSQL database of its own. */
public record TestDatabase(String kind, String jdbcUrl, String user, String password, Path sqliteFile) {

    static TestDatabase sqlite(String name) {
        Path file = ItEnv.workDir("sqlite-" + name).resolve("llm-proxy.db");
        return new TestDatabase("sqlite", "jdbc:sqlite:" + file, "", "", file);
    }

    Connection connect() throws SQLException {
        return user.isEmpty() ? DriverManager.getConnection(jdbcUrl) : DriverManager.getConnection(jdbcUrl, user, password);
    }

    long count(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + jdbcUrl, e);
        }
    }

    List<String> strings(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + jdbcUrl, e);
        }
    }
}
