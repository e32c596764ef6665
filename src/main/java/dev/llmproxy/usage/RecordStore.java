package dev.llmproxy.usage;

import java.sql.SQLException;
import java.util.List;

/** Where the record writer puts records: {@link UsageStore} on the application's database. */
public interface RecordStore {
    /** Writes the batch in one transaction (idempotent by request id); returns how many were new. */
    int write(List<RequestRecord> batch) throws SQLException;

    /** Whether the database answers at all: tells a refused row from a database that is down. */
    boolean reachable();

    /** Keeps a record the database refused, with the reason, apart from the others. */
    void setAside(RequestRecord record, String reason) throws SQLException;
}
