package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The caller's side of an exchange, in memory: status, headers in order, the body and how the exchange ended. */
final class FakeCaller implements Caller {
    final FakeOutputStream out;
    private final List<String[]> headers = new ArrayList<>();
    int status = 200;
    DomainException error;
    boolean closeAfterError;
    int completions;
    private boolean committed;

    FakeCaller() {
        this(1 << 20);
    }

    FakeCaller(int outputCapacity) {
        this.out = new FakeOutputStream(outputCapacity);
    }

    @Override
    public void status(int status) {
        this.status = status;
    }

    @Override
    public void addHeader(String name, String value) {
        headers.add(new String[] {name, value});
    }

    @Override
    public void setHeader(String name, String value) {
        headers.removeIf(h -> h[0].equalsIgnoreCase(name));
        addHeader(name, value);
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public FakeOutputStream output() {
        committed = true;
        return out;
    }

    @Override
    public void sendError(DomainException error, boolean bodyUnread) {
        if (committed) {
            throw new IllegalStateException("an error after the answer began");
        }
        this.error = error;
        this.status = error.kind().status();
        this.closeAfterError = bodyUnread;
        this.committed = true;
    }

    @Override
    public void onContainerThread(Runnable task) {
        task.run();
    }

    @Override
    public void complete() {
        completions++;
    }

    Optional<String> header(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    List<String> headerLines() {
        return headers.stream().map(h -> h[0] + ": " + h[1]).toList();
    }
}
