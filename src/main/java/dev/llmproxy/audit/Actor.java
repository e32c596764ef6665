package dev.llmproxy.audit;

/** Who did something and from where: {@code clientIp} is the connection's, or a trusted proxy's X-Forwarded-For. */
public record Actor(String name, String clientIp) {
    /** The request attribute under which the admin API's auth filter leaves the caller. */
    public static final String ATTRIBUTE = Actor.class.getName();

    public static Actor system() {
        return new Actor("system", null);
    }
}
