package dev.llmproxy.bench;

import java.util.concurrent.TimeUnit;

/** Stopping what the bench started. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /** SIGTERM, then SIGKILL to it and its children if it has not ended within 10 seconds. */
    static void stop(Process process) {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
