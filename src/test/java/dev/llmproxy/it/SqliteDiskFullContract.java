package dev.llmproxy.it;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SQLite database's disk fills up under steady load and is freed again (#14, part 3): ten callers, four of them
 * streaming, call without pause while the tmpfs the database lives on ({@link SmallDisk}) has not one byte left.
 * Every call is answered in time, never 500; reads go on, so tokens are checked and calls served, their records
 * waiting in the queue; once there is room again everything is written, without a redeploy. A write that fits into
 * pages SQLite already has (a budget's one-row update, a new project, into a write-ahead log that does not shrink)
 * may still succeed on a full disk, while batches of records, which need new pages, wait: so a budget call is served
 * or refused with 503 {@code budget_unavailable} (never let through unchecked, as
 * {@link DatabaseOutageLoad#everyCallAnsweredInTime} checks of every call), and an admin write is done or refused
 * with 503 {@code database_unavailable}, never a 500.
 */
interface SqliteDiskFullContract extends DatabaseOutageLoad {

    /** The disk the database is on. */
    SmallDisk disk();

    @Test
    default void aFullDiskRefusesOnlyWhatNeedsAWriteAndLosesNoRecord() throws Exception {
        Tokens tokens = tokens("disk-full");
        Run run = throughFault("disk full", tokens, () -> System.out.printf("[outage] %s: the disk is full after %d"
                        + " more bytes%n", server().name(), disk().fill()), 12_000, false,
                () -> List.of(timed(() -> admin().post("/manage/projects", "{\"name\":\"" + deployment().unique("full")
                        + "\",\"provider\":\"openai\",\"api_key\":\"sk-full-123456789\"}")),
                        timed(() -> admin().get("/manage/projects")), timed(() -> admin().get("/health/ready"))),
                disk()::free);
        writesRefusedReadsServed(run, true);
        assertAll(run.probes(), o -> true, SteadyLoad.Outcome::ok, "tokens are checked by reading, which goes on");
        assertAll(tokens.plain(run.outcomes()), o -> true, SteadyLoad.Outcome::ok,
                "calls that need no write are served throughout; their records wait in the queue");
        promisesKept(run);
    }
}
