package dev.llmproxy.proxy;

import dev.llmproxy.DomainException;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@link Caller} over the container's asynchronous request; tells the exchange when the caller goes away. */
final class ServletCaller implements Caller, AsyncListener {
    private static final Logger LOG = Logger.getLogger(ServletCaller.class.getName());
    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final OpenAiErrors errors;
    private volatile Consumer<Throwable> onGone = cause -> { };
    private volatile Runnable onCompleted = () -> { };
    private volatile Runnable onEndedByContainer = () -> { };

    ServletCaller(AsyncContext async, OpenAiErrors errors) {
        this.async = async;
        this.request = (HttpServletRequest) async.getRequest();
        this.response = (HttpServletResponse) async.getResponse();
        this.errors = errors;
        async.addListener(this);
    }

    /**
     * Who to tell when the caller's connection fails, when the container ends the request itself (an asynchronous
     * timeout, which the proxy never sets: see {@link #onTimeout}), and when the request completes.
     */
    void listen(Consumer<Throwable> gone, Runnable endedByContainer, Runnable completed) {
        this.onGone = gone;
        this.onEndedByContainer = endedByContainer;
        this.onCompleted = completed;
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public void addHeader(String name, String value) {
        response.addHeader(name, value);
    }

    @Override
    public void setHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }

    @Override
    public ServletOutputStream output() throws IOException {
        return response.getOutputStream();
    }

    @Override
    public void sendError(DomainException error, boolean bodyUnread) {
        if (bodyUnread) {
            ProxyServices.closeUnreadBody(request, response);
        }
        try {
            errors.write(request, response, error);
        } catch (IOException e) {
            LOG.log(Level.FINE, "Could not send the refusal; the caller went away", e);
        }
    }

    @Override
    public void onContainerThread(Runnable task) {
        ContainerCalls.start(async, task);
    }

    @Override
    public void complete() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // normally: already completed by the container after an error
            LOG.log(Level.FINE, "The asynchronous request was already complete", e);
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        onCompleted.run();
    }

    /**
     * The proxy sets no asynchronous timeout (its watchdog times the call), so a timeout is the container ending the
     * request: Tomcat does so to the requests of an application it stops. The call is ended, its caller told, before
     * this returns.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        onEndedByContainer.run();
    }

    @Override
    public void onError(AsyncEvent event) {
        onGone.accept(event.getThrowable());
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }
}
