package dev.llmproxy.config;

import java.util.Optional;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;

/**
 * Env entries under {@code java:comp/env/llmproxy/<key>}: a Tomcat {@code <Environment>} in the context file,
 * or an {@code <env-entry>} the container binds for the WAR.
 */
public final class JndiSettingSource implements SettingSource {
    static final String PREFIX = "llmproxy/";
    private final Context env;

    /** @param env the {@code java:comp/env} context */
    public JndiSettingSource(Context env) {
        this.env = env;
    }

    @Override
    public Optional<String> lookup(String key) {
        try {
            Object value = env.lookup(PREFIX + key);
            return Optional.ofNullable(value).map(Object::toString);
        } catch (NameNotFoundException e) {
            return Optional.empty();
        } catch (NamingException e) {
            throw new InvalidSettingException(key, describe(key), "cannot be read from JNDI: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe(String key) {
        return "JNDI env entry java:comp/env/" + PREFIX + key;
    }
}
