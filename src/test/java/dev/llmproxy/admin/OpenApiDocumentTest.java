package dev.llmproxy.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document names exactly the operations the resources implement. */
class OpenApiDocumentTest {
    private static final Map<Class<?>, String> VERBS = Map.of(GET.class, "get", POST.class, "post",
            PATCH.class, "patch", DELETE.class, "delete", PUT.class, "put");

    @Test
    void documentListsEveryResourceMethodAndNothingElse() throws Exception {
        TreeSet<String> implemented = new TreeSet<>();
        for (Class<?> resource : new Class<?>[] {ProjectResource.class, UpstreamResource.class, TokenResource.class,
                UsageResource.class, PriceResource.class, AuditResource.class, OpenApiResource.class,
                CacheResource.class, BackupResource.class, KeyResource.class}) {
            String base = "/" + resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                for (var verb : VERBS.entrySet()) {
                    if (m.isAnnotationPresent(verb.getKey().asSubclass(java.lang.annotation.Annotation.class))) {
                        Path sub = m.getAnnotation(Path.class);
                        String path = base + (sub == null ? "" : "/" + sub.value());
                        // {model: .+} is {model} in OpenAPI
                        implemented.add(verb.getValue() + " " + path.replaceAll("\\{(\\w+):[^}]*}", "{$1}"));
                    }
                }
            }
        }
        JsonNode doc = new ObjectMapper().readTree(new OpenApiResource().get());
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            var path = paths.next();
            path.getValue().fieldNames().forEachRemaining(verb -> documented.add(verb + " " + path.getKey()));
        }
        assertEquals(implemented, documented);
    }
}
