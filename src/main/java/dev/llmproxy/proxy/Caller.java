package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;

/** The caller's side of an exchange: the response under way and the end of the asynchronous request. */
interface Caller {
    void status(int status);

    void addHeader(String name, String value);

    void setHeader(String name, String value);

    boolean isCommitted();

    /** The output stream, to be put in non-blocking mode by a {@link jakarta.servlet.WriteListener}. */
    ServletOutputStream output() throws IOException;

    /**
     * Answers with the proxy's own error. {@code bodyUnread}: the caller's body was not (wholly) read, so the
     * connection must close after the answer.
     */
    void sendError(DomainException error, boolean bodyUnread);

    /**
     * Runs {@code task} on a container thread, for setting a write listener: Tomcat runs the first onWritePossible,
     * and then the connection's next request, on a thread not its own that sets one.
     */
    void onContainerThread(Runnable task);

    /** Ends the asynchronous request; the container sends what is left and recycles the connection. */
    void complete();
}
