package dev.llmproxy.project;

import dev.llmproxy.InvalidFieldException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which models a project may call: glob patterns where {@code *} matches any run of characters
 * ({@code gpt-4o*}, {@code claude-*-4-5*}). An empty list allows every model.
 */
public final class ModelAllowlist {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:/@*+\\-]{1,200}");
    private final List<String> patterns;
    private final List<Pattern> compiled;

    public ModelAllowlist(List<String> patterns) {
        this("allowed_models", patterns);
    }

    /** {@code field}: the request field the patterns came from, named in a validation error. */
    public ModelAllowlist(String field, List<String> patterns) {
        for (String p : patterns) {
            if (!VALID.matcher(p).matches()) {
                throw new InvalidFieldException(field, "entries are model names or globs with '*',"
                        + " 1 to 200 of A-Z a-z 0-9 . _ : / @ + - *; got '" + p + "'");
            }
        }
        this.patterns = List.copyOf(patterns);
        this.compiled = patterns.stream().map(ModelAllowlist::toRegex).toList();
    }

    public boolean allows(String model) {
        if (compiled.isEmpty() || model == null) {
            return true;
        }
        return compiled.stream().anyMatch(p -> p.matcher(model).matches());
    }

    public List<String> patterns() {
        return patterns;
    }

    private static Pattern toRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
