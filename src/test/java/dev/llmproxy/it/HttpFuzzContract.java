package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Random requests against the deployed WAR (#13): odd methods, paths, queries, headers and bodies on {@code /v1},
 * {@code /manage}, {@code /health} and {@code /metrics}, with good and bad credentials. Whatever comes, the answer
 * is quick, is not a 500, shows no stack trace, class or container name, and is JSON when it is an error; and the
 * server is healthy and recording afterwards. Requests are well-formed HTTP: what a container refuses before the WAR
 * sees it (a malformed request line, an encoded slash) is the container's own answer (server-config READMEs).
 * The seed is printed; {@code -Dit.fuzz.seed=N} repeats a run, {@code -Dit.fuzz.requests=N} makes it longer.
 */
interface HttpFuzzContract extends Contract {
    List<String> LEAKS = List.of("exception", "\tat ", "java.", "jakarta.", "org.apache", "io.undertow",
            "org.glassfish", "dev.llmproxy", "<html", "<!doctype", "stacktrace", "caused by");

    @Test
    default void randomRequestsNeverBreakTheServerNorShowItsInsides() throws Exception {
        long seed = Long.getLong("it.fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("it.fuzz.requests", 600);
        System.out.println("[fuzz] " + server().name() + " on " + db().kind() + ": seed " + seed + ", " + requests
                + " requests");
        Random random = new Random(seed);
        String project = openAiProject("fuzz");
        String proxyToken = token(project, "");
        String context = server().baseUrl().substring(server().baseUrl().indexOf('/', 8));
        List<String> failures = new ArrayList<>();
        int[] byClass = new int[6];
        java.util.Map<String, Integer> serverSide = new java.util.TreeMap<>();
        int headsRefusedByClosing = 0;
        for (int i = 0; i < requests && failures.size() < 5; i++) {
            FuzzRequest r = FuzzRequest.next(random, context, proxyToken, Deployment.MANAGEMENT_TOKEN);
            try (RawHttp connection = new RawHttp(server().baseUrl())) {
                connection.head(r.method(), r.target(), r.headers().toArray(String[]::new));
                try {
                    connection.body(r.body());
                } catch (IOException e) {
                    // the container answered the head and closed before the body was written: its answer is read
                    // below; a head past its limit may also be refused by closing (what the read then says)
                    if (!r.headPastTheContainersLimit()) {
                        throw e;
                    }
                }
                RawHttp.Response answer = r.method().equals("HEAD") ? connection.readHead() : connection.read();
                byClass[answer.status() / 100]++;
                if (answer.status() >= 500) {
                    serverSide.merge(answer.status() + " " + errorCode(answer.body()) + " on "
                            + r.target().substring(context.length()).split("[/?]", 3)[1], 1, Integer::sum);
                }
                String problem = problem(r, answer);
                if (problem != null) {
                    failures.add(problem + "\n  request #" + i + ": " + r + "\n  answer: " + answer.status() + " "
                            + answer.headers() + " " + abbreviate(answer.body()));
                }
            } catch (IOException e) {
                if (r.headPastTheContainersLimit()) {
                    headsRefusedByClosing++; // a head longer than the container reads is its to refuse (8 KiB)
                } else {
                    failures.add("no answer (" + e + ")\n  request #" + i + ": " + r);
                }
            }
        }
        System.out.printf("[fuzz] answers: 2xx %d, 3xx %d, 4xx %d, 5xx %d%n", byClass[2], byClass[3], byClass[4],
                byClass[5]);
        System.out.println("[fuzz] 5xx answers by status, code and path: " + serverSide + "; heads past 8 KiB refused"
                + " by closing the connection: " + headsRefusedByClosing);
        assertTrue(failures.isEmpty(), "seed " + seed + ":\n" + String.join("\n", failures));
        assertEquals(200, admin().get("/health/ready").status(), "healthy afterwards");
        Issued issued = issue(project, "");
        assertEquals(200, call(chat(issued.token(), "gpt-mock", false)).statusCode());
        awaitCount(issued.recordsQuery(), 1);
    }

    /** What is wrong with an answer, or null. */
    private static String problem(FuzzRequest r, RawHttp.Response answer) {
        int status = answer.status();
        if (status == 500 || status >= 505) {
            return "status " + status;
        }
        if (status >= 502 && !r.target().contains("/v1")) {
            return "status " + status + " outside the proxy path";
        }
        String lower = answer.body().toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            if (lower.contains(leak)) {
                return "the answer shows '" + leak.strip() + "'";
            }
        }
        String type = answer.headers().getOrDefault("content-type", "");
        boolean metricsText = r.target().contains("/metrics") && type.startsWith("text/plain");
        if (status >= 400 && !answer.body().isEmpty() && !type.contains("json") && !metricsText) {
            return "an error that is not JSON (" + type + ")";
        }
        return null;
    }

    private static String errorCode(String body) {
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\"code\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        return code.find() ? code.group(1) : "-";
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** One random request. */
    record FuzzRequest(String method, String target, List<String> headers, byte[] body) {
        /** Tomcat's default limit of a request's head, its line and headers (maxHttpHeaderSize; Undertow's: 1 MiB). */
        private static final int CONTAINER_HEAD_LIMIT = 8 * 1024;

        /** Whether the request line and headers are longer than the containers read by default. */
        boolean headPastTheContainersLimit() {
            int length = method.length() + target.length() + 64;
            for (String header : headers) {
                length += header.length() + 2;
            }
            return length > CONTAINER_HEAD_LIMIT;
        }

        private static final String[] METHODS = {"GET", "POST", "POST", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "HEAD", "TRACE", "PROPFIND", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "get", "M-SEARCH"};
        private static final String[] PREFIXES = {"/v1/chat/completions", "/v1/messages", "/v1/models",
            "/v1/models/gpt-mock", "/v1/embeddings", "/v1/responses", "/v1/", "/v1", "/manage/projects",
            "/manage/tokens", "/manage/usage", "/manage/usage/requests", "/manage/audit", "/manage/prices/x",
            "/manage/openapi.json", "/manage/", "/health/ready", "/health/live", "/health/", "/metrics", "/",
            "/nothing-here", "/error-page"};
        private static final String[] TYPES = {"application/json", "application/json; charset=utf-8", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1",
            "garbage", ""};
        private static final String[] ENCODINGS = {"gzip", "br", "deflate", "identity", "gzip, gzip", "x-nonsense"};
        private static final String SAFE = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

        static FuzzRequest next(Random random, String context, String proxyToken, String managementToken)
                throws IOException {
            String method = pick(random, METHODS);
            StringBuilder target = new StringBuilder(context).append(pick(random, PREFIXES));
            for (int n = random.nextInt(3); n > 0; n--) {
                target.append('/').append(segment(random));
            }
            if (random.nextInt(4) == 0) {
                target.append('?').append(segment(random)).append('=').append(segment(random));
            }
            List<String> headers = new ArrayList<>();
            // from an address of the fuzz's own (the loopback is a trusted proxy in the tests): its bad tokens must
            // not use up the allowance of failed authentications that the other contracts' callers share
            headers.add("X-Forwarded-For: " + (random.nextInt(8) == 0 ? segment(random) + ", " : "") + "192.0.2."
                    + random.nextInt(256));
            switch (random.nextInt(6)) {
                case 0 -> headers.add("Authorization: Bearer " + proxyToken);
                case 1 -> headers.add("Authorization: Bearer " + managementToken);
                case 2 -> headers.add("Authorization: Bearer lpt_" + segment(random));
                case 3 -> headers.add("x-api-key: " + proxyToken);
                case 4 -> headers.add("Authorization: " + "B".repeat(random.nextInt(6000)));
                default -> { }
            }
            byte[] body = body(random);
            if (random.nextInt(5) > 0) {
                headers.add("Content-Type: " + pick(random, TYPES));
            }
            if (random.nextInt(6) == 0) {
                String coding = pick(random, ENCODINGS);
                headers.add("Content-Encoding: " + coding);
                if (coding.equals("gzip") && random.nextBoolean()) {
                    body = gzip(body);
                }
            }
            if (random.nextInt(6) == 0) {
                headers.add("Origin: https://" + segment(random) + ".example");
                headers.add("Access-Control-Request-Method: " + pick(random, METHODS).toUpperCase(Locale.ROOT));
            }
            if (random.nextInt(8) == 0) {
                headers.add("Cache-Control: " + pick(random, new String[] {"max-age=" + random.nextInt(),
                    "no-cache", "no-store", "max-age=-1", "max-age=99999999999999999999", segment(random)}));
            }
            if (random.nextInt(8) == 0) {
                headers.add("Connection: " + pick(random, new String[] {"close", "keep-alive, X-Hop", "upgrade"}));
            }
            if (random.nextInt(10) == 0) {
                headers.add("X-Padding: " + "p".repeat(random.nextInt(4000)));
            }
            if (body.length > 0 || method.equals("POST") && random.nextBoolean()) {
                headers.add("Content-Length: " + body.length);
            }
            return new FuzzRequest(method, target.toString(), headers, body);
        }

        private static byte[] body(Random random) {
            return switch (random.nextInt(8)) {
                case 0 -> new byte[0];
                case 1 -> {
                    byte[] b = new byte[random.nextInt(2048)];
                    random.nextBytes(b);
                    yield b;
                }
                case 2 -> ("{\"model\":\"gpt-mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + segment(random)
                        + "\"}],\"stream\":" + random.nextBoolean() + ",\"max_tokens\":" + random.nextLong() + "}")
                        .getBytes(StandardCharsets.UTF_8);
                case 3 -> ("{\"model\":" + pick(random, new String[] {"null", "42", "[]", "{}", "\"\\u0000\"",
                    "\"" + "m".repeat(500) + "\"", "\"gpt-mock\""}) + ",\"n\":" + "9".repeat(random.nextInt(1500))
                        + "}").getBytes(StandardCharsets.UTF_8);
                case 4 -> ("[".repeat(random.nextInt(400)) + "]".repeat(random.nextInt(400)))
                        .getBytes(StandardCharsets.UTF_8);
                case 5 -> ("{\"name\":\"" + segment(random) + "\",\"provider\":\"" + segment(random)
                        + "\",\"api_key\":" + random.nextInt() + ",\"allowed_models\":[" + random.nextDouble() + "]}")
                        .getBytes(StandardCharsets.UTF_8);
                case 6 -> "{\"model\":\"gpt-mock\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                        .concat("\"image_url\":{\"url\":\"data:x\",\"detail\":\"" + segment(random) + "\"}}]}],"
                                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}")
                        .getBytes(StandardCharsets.UTF_8);
                default -> ("\uFEFF{\"model\":\"gpt-mock\",\"" + "\uD83D\uDE00".repeat(random.nextInt(50)) + "\":1,"
                        + "\"prompt\":\"\\ud800\"}").getBytes(StandardCharsets.UTF_8);
            };
        }

        /** A path segment or query part: unreserved characters and percent-encoded bytes (never an encoded slash). */
        private static String segment(Random random) {
            StringBuilder s = new StringBuilder();
            for (int n = 1 + random.nextInt(12); n > 0; n--) {
                if (random.nextInt(5) == 0) {
                    int b = random.nextInt(256);
                    if (b == '/' || b == '\\' || b == 0 || b == '%' || b == ';') {
                        b = 'x';
                    }
                    s.append('%').append(String.format("%02X", b));
                } else {
                    s.append(SAFE.charAt(random.nextInt(SAFE.length())));
                }
            }
            return s.toString();
        }

        private static String pick(Random random, String[] options) {
            return options[random.nextInt(options.length)];
        }

        private static byte[] gzip(byte[] plain) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                    z.write(plain);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return method + " " + target + " " + headers.stream().map(h -> h.length() > 80 ? h.substring(0, 80) + "…" : h)
                    .toList() + " body " + body.length + " bytes";
        }
    }
}
