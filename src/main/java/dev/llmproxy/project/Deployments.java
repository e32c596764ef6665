package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An Azure OpenAI project's deployments and the model each serves ({@code prod-4o → gpt-4o}): Azure names a
 * deployment where OpenAI names a model (in the path, and in the body of the v1 API), so prices, the model allowlist
 * and the upstreams' model patterns apply to the model behind it. When a project names deployments, only those are
 * served; with none named, the deployment's name is taken for the model's.
 */
public final class Deployments {
    public static final Deployments NONE = new Deployments(Map.of());
    /** Azure's deployment names: letters, digits, '-', '_' and '.', at most 64. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,64}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/@+\\-]{1,200}");
    static final int MAX_DEPLOYMENTS = 200;

    private final Map<String, String> models;

    private Deployments(Map<String, String> models) {
        this.models = models;
    }

    /** Validated, or an error naming {@code field} and the bad entry. */
    public static Deployments of(String field, Map<String, String> models) {
        if (models.size() > MAX_DEPLOYMENTS) {
            throw new InvalidFieldException(field, "names at most " + MAX_DEPLOYMENTS + " deployments");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        models.forEach((name, model) -> {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidFieldException(field, "deployment names are 1 to 64 of A-Z a-z 0-9 . _ -; got '"
                        + name + "'");
            }
            if (model == null || !MODEL.matcher(model).matches()) {
                throw new InvalidFieldException(field, "the model of '" + name
                        + "' must be a model name, 1 to 200 of A-Z a-z 0-9 . _ : / @ + -; got '" + model + "'");
            }
            checked.put(name, model);
        });
        return new Deployments(Map.copyOf(checked));
    }

    /** As stored: {@code name=model} entries joined by commas, NULL when none. */
    static Deployments parse(String stored) {
        Map<String, String> models = new LinkedHashMap<>();
        for (String entry : CommaList.split(stored)) {
            int eq = entry.indexOf('=');
            models.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return models.isEmpty() ? NONE : new Deployments(Map.copyOf(models));
    }

    String stored() {
        return CommaList.join(new java.util.TreeMap<>(models).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    /** Whether a call to {@code deployment} may go on: any when none are named; a call without one passes. */
    public boolean serves(String deployment) {
        return deployment == null || models.isEmpty() || models.containsKey(deployment);
    }

    /** The model {@code deployment} serves: the named one, else the name itself (null stays null). */
    public String modelOf(String deployment) {
        return deployment == null ? null : models.getOrDefault(deployment, deployment);
    }

    public Map<String, String> asMap() {
        return new java.util.TreeMap<>(models);
    }

    public boolean isEmpty() {
        return models.isEmpty();
    }
}
