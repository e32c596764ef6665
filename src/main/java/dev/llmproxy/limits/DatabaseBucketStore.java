package dev.llmproxy.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import javax.sql.DataSource;

/**
 * Buckets in PostgreSQL ({@code rate_limit_buckets}), shared by every instance on the database: Bucket4j reads and
 * writes a bucket's state under {@code SELECT … FOR UPDATE}, so a limit holds across instances, not per instance.
 */
public final class DatabaseBucketStore implements BucketStore {
    private final ProxyManager<String> buckets;

    public DatabaseBucketStore(DataSource dataSource) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets").idColumn("id").stateColumn("state")
                .build();
    }

    @Override
    public Bucket bucket(String key, BucketConfiguration configuration) {
        return buckets.builder().build(key, () -> configuration);
    }

    @Override
    public boolean shared() {
        return true;
    }
}
