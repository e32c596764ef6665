package dev.llmproxy.usage;

/**
 * Where finished calls' records go, without ever making a caller wait: {@link UsageRecorder} in production, a list in
 * tests.
 */
public interface RecordSink {
    /** What {@link #reserve} answers when no place is left. */
    long NO_PLACE = -1;

    /**
     * Holds a place for the record of a call about to be admitted; returns the place's ticket (0 or more), or
     * {@link #NO_PLACE} when there is none left.
     */
    long reserve();

    /** Gives back the place of a ticket {@link #reserve} gave, for a call that will not be recorded through it. */
    void release(long ticket);

    /** Queues the record of a call that holds the ticket's place: never waits, never drops. */
    void recordReserved(long ticket, RequestRecord record);

    /** Queues the record of a call that holds no place (refused before admission) if there is room; else drops it. */
    void recordIfRoom(RequestRecord record);
}
