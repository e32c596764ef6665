package dev.llmproxy.accesstoken;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends Nimbus's token requests as its own sender does (one {@link HttpURLConnection}, no redirects), but reads the
 * answer within bounds: at most {@value #MAX_ANSWER_BYTES} bytes, and all of it within the request's timeout. Nimbus's
 * sender reads any body whole into memory and bounds only each read, so an endpoint that drips a byte at a time kept
 * a token thread (of four shared by every upstream) for as long as it liked.
 */
final class BoundedSender implements HTTPRequestSender {
    /** Far more than a token answer (a JWT of a few KiB and its fields). */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** An answer longer than {@link #MAX_ANSWER_BYTES}: not read further. */
    static final class AnswerTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        AnswerTooLarge() {
            super("the answer is longer than " + MAX_ANSWER_BYTES + " bytes");
        }
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.getReadTimeout());
        HttpURLConnection connection = (HttpURLConnection) request.getURL().openConnection();
        try {
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(request.getConnectTimeout());
            connection.setReadTimeout(request.getReadTimeout());
            connection.setRequestMethod(request.getMethod().name());
            for (Map.Entry<String, List<String>> header : request.getHeaderMap().entrySet()) {
                for (String value : header.getValue()) {
                    connection.addRequestProperty(header.getKey(), value);
                }
            }
            String body = request.getBody();
            if (body != null) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            HTTPResponse answer = new HTTPResponse(status);
            answer.setStatusMessage(connection.getResponseMessage());
            for (Map.Entry<String, List<String>> header : connection.getHeaderFields().entrySet()) {
                if (header.getKey() != null) {
                    answer.setHeader(header.getKey(), header.getValue().toArray(new String[0]));
                }
            }
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            answer.setBody(in == null ? null : read(in, deadline));
            return answer;
        } finally {
            connection.disconnect();
        }
    }

    private static String read(InputStream in, long deadline) throws IOException {
        try (in) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                if (body.size() + n > MAX_ANSWER_BYTES) {
                    throw new AnswerTooLarge();
                }
                body.write(buffer, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    throw new SocketTimeoutException("the answer did not end within the timeout");
                }
            }
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
