package dev.llmproxy.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/** Where token buckets live: in this JVM, or in the database that instances share. */
public interface BucketStore {
    /** The bucket for {@code key}, created with {@code configuration} the first time. */
    Bucket bucket(String key, BucketConfiguration configuration);

    /** Whether taking from a bucket is a database round trip (shared by instances), not memory. */
    default boolean shared() {
        return false;
    }
}
