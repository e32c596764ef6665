package dev.llmproxy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The error page knows the proxy's paths as web.xml maps them: an unmapped root would get problem JSON. */
class ErrorPageServletTest {
    @Test
    void theProxiedRootsAreThoseWebXmlGivesTheTokenFilterAndTheProxyServlet() throws Exception {
        String webXml = Files.readString(Path.of("webapp/WEB-INF/web.xml"));
        Set<String> filtered = patterns(webXml, "filter-mapping", "proxy-token");
        Set<String> served = patterns(webXml, "servlet-mapping", "proxy");
        assertEquals(filtered, served, "the token filter sits in front of every proxied path");
        assertEquals(Set.of("/openai/*", "/v1/*", "/v1beta/*", "/v1beta1/*", "/model/*"), served);
        for (String pattern : served) {
            String root = pattern.substring(0, pattern.length() - 2);
            assertTrue(ErrorPageServlet.proxied(root), root);
            assertTrue(ErrorPageServlet.proxied(root + "/models/x:generateContent"), root);
        }
        assertFalse(ErrorPageServlet.proxied("/v1betax"));
        assertFalse(ErrorPageServlet.proxied("/models"));
        assertFalse(ErrorPageServlet.proxied("/manage/projects"));
        assertFalse(ErrorPageServlet.proxied("/health/ready"));
    }

    private static Set<String> patterns(String webXml, String element, String name) {
        Matcher mapping = Pattern.compile("<" + element + ">\\s*<(?:filter|servlet)-name>" + name
                + "</(?:filter|servlet)-name>(.*?)</" + element + ">", Pattern.DOTALL).matcher(webXml);
        assertTrue(mapping.find(), element + " of " + name);
        Set<String> found = new TreeSet<>();
        Matcher url = Pattern.compile("<url-pattern>([^<]+)</url-pattern>").matcher(mapping.group(1));
        while (url.find()) {
            found.add(url.group(1));
        }
        return found;
    }
}
