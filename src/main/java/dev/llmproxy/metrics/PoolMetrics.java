package dev.llmproxy.metrics;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Connection-pool gauges where the application can see the pool: the embedded HikariCP pool. A container's pool is
 * the container's to report (Tomcat: JMX {@code Catalina:type=DataSource}; WildFly: datasource statistics).
 */
public final class PoolMetrics {
    private PoolMetrics() {
    }

    /** Binds the gauges if {@code dataSource} is, or wraps, a HikariCP pool; says whether it did. */
    public static boolean bind(MeterRegistry registry, DataSource dataSource) {
        HikariDataSource hikari;
        try {
            if (dataSource instanceof HikariDataSource h) {
                hikari = h;
            } else if (dataSource.isWrapperFor(HikariDataSource.class)) {
                hikari = dataSource.unwrap(HikariDataSource.class);
            } else {
                return false;
            }
        } catch (SQLException e) {
            return false;
        }
        gauge(registry, "active", hikari, h -> h.getHikariPoolMXBean().getActiveConnections());
        gauge(registry, "idle", hikari, h -> h.getHikariPoolMXBean().getIdleConnections());
        gauge(registry, "pending", hikari, h -> h.getHikariPoolMXBean().getThreadsAwaitingConnection());
        Gauge.builder("llmproxy.db.pool.max", hikari, HikariDataSource::getMaximumPoolSize)
                .description("Largest size of the embedded connection pool").register(registry);
        return true;
    }

    private static void gauge(MeterRegistry registry, String state, HikariDataSource pool,
                              java.util.function.ToDoubleFunction<HikariDataSource> value) {
        Gauge.builder("llmproxy.db.pool.connections", pool, h -> h.getHikariPoolMXBean() == null ? 0
                        : value.applyAsDouble(h))
                .description("Connections of the embedded pool by state (pending: threads waiting for one)")
                .tag("state", state).register(registry);
    }
}
