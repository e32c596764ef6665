package dev.llmproxy.admin;

/** Body of {@code POST /manage/projects}. */
public record CreateProjectRequest(String name, String provider, String apiKey, String baseUrl,
                                   java.util.List<String> allowedModels, java.util.List<String> allowedOrigins,
                                   Boolean retryUnsafe, java.util.Map<String, String> deployments) {}
