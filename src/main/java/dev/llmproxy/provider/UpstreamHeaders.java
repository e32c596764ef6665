package dev.llmproxy.provider;

/** The headers of a request to a provider, as a definition puts its credentials into them. */
public interface UpstreamHeaders {
    boolean has(String name);

    /** Sets {@code name} to {@code value}, replacing what was there. */
    void put(String name, String value);
}
