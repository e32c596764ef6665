package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.DomainException;
import dev.llmproxy.accesstoken.AccessTokenException;
import dev.llmproxy.limits.BudgetExceededException;
import dev.llmproxy.limits.LocalBucketStore;
import dev.llmproxy.limits.RateLimit;
import dev.llmproxy.limits.RateLimiter;
import dev.llmproxy.limits.TooManyFailedAuthentications;
import dev.llmproxy.token.TokenRefusedException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/proxy.md's error table names every error the proxy path answers with, its status and type: each of
 * ProxyRefusal's factories, each token refusal, and the limit refusals.
 */
class ProxyErrorsDocumentedTest {
    private static final dev.llmproxy.provider.TokenCredential ENTRA_APP = dev.llmproxy.provider.EntraApplication.of(
            "entra:contoso.onmicrosoft.com:0b3c5e1a-7d2f-4c8e-9a6b-1f2e3d4c5b6a:s3cr3t~v").orElseThrow();
    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| `([a-z_]+)` \\| `([a-z_]+)` \\|");

    @Test
    void everyErrorOfTheProxyPathIsInTheTableWithItsStatusAndType() throws Exception {
        Map<String, String> documented = new TreeMap<>();
        for (String line : Files.readString(Path.of("docs/proxy.md")).lines().toList()) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                documented.put(m.group(2), m.group(1) + " " + m.group(3));
            }
        }
        List<DomainException> errors = new ArrayList<>(refusals());
        for (TokenRefusedException.Reason reason : TokenRefusedException.Reason.values()) {
            errors.add(new TokenRefusedException(reason));
        }
        errors.add(new BudgetExceededException("token", "daily"));
        errors.add(new TooManyFailedAuthentications(30));
        errors.add(AccessTokenException.rejected(ENTRA_APP, "invalid_client"));
        errors.add(AccessTokenException.unavailable(ENTRA_APP, "failed"));
        errors.add(rateRefusal(new RateLimit(1, null)));
        errors.add(rateRefusal(new RateLimit(null, 1)));
        assertTrue(errors.size() > 20, "the factories were found: " + errors.size());
        for (DomainException e : errors) {
            int status = e.kind().status();
            assertEquals(status + " " + OpenAiErrors.typeFor(status), documented.get(e.code()),
                    "docs/proxy.md, section Errors, row for " + e.code());
        }
    }

    private static DomainException rateRefusal(RateLimit limit) {
        RateLimiter limiter = new RateLimiter(new LocalBucketStore());
        List<RateLimiter.Scoped> scopes = List.of(new RateLimiter.Scoped("token", "t", limit));
        limiter.admit(scopes, 1);
        return assertThrows(DomainException.class, () -> limiter.admit(scopes, 1));
    }

    /** One of each of ProxyRefusal's errors, made by its factories with placeholder arguments. */
    private static List<ProxyRefusal> refusals() throws ReflectiveOperationException {
        List<ProxyRefusal> made = new ArrayList<>();
        for (Method m : ProxyRefusal.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getReturnType() == ProxyRefusal.class) {
                Object[] args = new Object[m.getParameterCount()];
                for (int i = 0; i < args.length; i++) {
                    Class<?> type = m.getParameterTypes()[i];
                    args[i] = type == long.class ? 1L : type == int.class ? 1 : "x";
                }
                m.setAccessible(true);
                made.add((ProxyRefusal) m.invoke(null, args));
            }
        }
        return made;
    }

    @Test
    void theTableIsReadable() throws IOException {
        assertTrue(Files.readString(Path.of("docs/proxy.md")).contains("| 500 | `internal_error` | `api_error` |"));
    }
}
