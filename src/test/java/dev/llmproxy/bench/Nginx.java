package dev.llmproxy.bench;

import dev.llmproxy.it.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx from Debian's package as a plain reverse proxy in front of the mock: HTTP/1.1 keep-alive to the upstream,
 * no response buffering (streams pass through), no access log (the proxy's records are the comparison's handicap).
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Nginx start(Path dir, int port, int mockPort) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes auto;
                worker_rlimit_nofile 20000;
                daemon off;
                user root;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 19000; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    upstream mock {
                        server 127.0.0.1:%2$d;
                        keepalive 256;
                    }
                    server {
                        listen 127.0.0.1:%3$d backlog=4096;
                        location / {
                            proxy_pass http://mock;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_buffering off;
                            proxy_read_timeout 120s;
                        }
                    }
                }
                """.formatted(dir, mockPort, port));
        Process process = new ProcessBuilder("nginx", "-p", dir.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/console.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!FreePorts.listening("127.0.0.1", port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx did not start; see " + dir.resolve("logs"));
            }
            Thread.sleep(50);
        }
        return new Nginx(process, port);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The master and its workers. */
    List<Long> pids() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
                .map(ProcessHandle::pid).toList();
    }

    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
