package dev.llmproxy.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/usage-and-audit.md lists exactly the actions the code records: a new action without its line fails here. */
class AuditActionsDocumentedTest {
    private static final Pattern ACTION = Pattern.compile("`([a-z_]+\\.[a-z_]+)`");

    @Test
    void theAuditTrailSectionListsEveryActionAndNoOther() throws IOException {
        String doc = Files.readString(Path.of("docs/usage-and-audit.md"));
        int start = doc.indexOf("## Audit trail");
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Set<String> documented = new TreeSet<>();
        for (String line : section.lines().filter(l -> l.startsWith("| `")).toList()) {
            Matcher m = ACTION.matcher(line.substring(0, line.indexOf('|', 1)));
            while (m.find()) {
                documented.add(m.group(1));
            }
        }
        Set<String> inCode = Arrays.stream(AuditAction.values()).map(AuditAction::id)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(inCode, documented, "the table in docs/usage-and-audit.md, section 'Audit trail'");
    }
}
