package dev.llmproxy.provider;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A POST of JSON as the proxy hands it to a definition that signs it; the headers it ends with are readable. */
public final class SignedRequestFake implements SignableRequest {
    public final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final String url;
    private final byte[] body;

    public SignedRequestFake(String url, String body) {
        this.url = url;
        this.body = body.getBytes(StandardCharsets.UTF_8);
        headers.put("Accept", new ArrayList<>(List.of("application/json")));
    }

    @Override
    public boolean has(String name) {
        return headers.containsKey(name);
    }

    @Override
    public void put(String name, String value) {
        headers.put(name, new ArrayList<>(List.of(value)));
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public byte[] body() {
        return body;
    }

    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
}
