package dev.llmproxy.usage;

/** Where finished calls' records go: the asynchronous writer in production, a list in tests. */
public interface RecordSink {
    void record(RequestRecord record);
}
