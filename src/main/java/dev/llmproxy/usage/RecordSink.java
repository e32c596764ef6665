package dev.llmproxy.usage;

/**
 * Where finished calls' records go, without ever making a caller wait: {@link UsageRecorder} in production, a list in
 * tests.
 */
public interface RecordSink {
    /** Holds a place for the record of a call about to be admitted; false when there is none left. */
    boolean reserve();

    /** Gives back a place {@link #reserve} took, for a call that will not be recorded through it. */
    void release();

    /** Queues the record of a call that holds a place: never waits, never drops. */
    void recordReserved(RequestRecord record);

    /** Queues the record of a call that holds no place (refused before admission) if there is room; else drops it. */
    void recordIfRoom(RequestRecord record);
}
