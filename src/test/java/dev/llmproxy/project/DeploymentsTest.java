package dev.llmproxy.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmproxy.InvalidFieldException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentsTest {
    @Test
    void aNamedDeploymentServesItsModelAndOnlyNamedOnesAreServed() {
        Deployments named = Deployments.of("deployments", Map.of("prod-4o", "gpt-4o", "mini", "gpt-4o-mini"));
        assertEquals("gpt-4o", named.modelOf("prod-4o"));
        assertTrue(named.serves("mini"));
        assertFalse(named.serves("other"), "a deployment the project does not name is refused");
        assertTrue(named.serves(null), "a call without a model (listing models) passes");
        assertNull(named.modelOf(null));
    }

    @Test
    void withoutDeploymentsTheNameIsTheModel() {
        assertTrue(Deployments.NONE.serves("gpt-4o"));
        assertEquals("gpt-4o", Deployments.NONE.modelOf("gpt-4o"));
    }

    @Test
    void theStoredFormReadsBackTheSame() {
        Deployments named = Deployments.of("deployments", Map.of("b", "gpt-4o", "a.1", "gpt-4o-mini"));
        assertEquals("a.1=gpt-4o-mini,b=gpt-4o", named.stored());
        assertEquals(named.asMap(), Deployments.parse(named.stored()).asMap());
        assertNull(Deployments.NONE.stored());
        assertTrue(Deployments.parse(null).isEmpty());
    }

    @Test
    void badNamesAndModelsAreRefusedWithTheField() {
        var e = assertThrows(InvalidFieldException.class,
                () -> Deployments.of("deployments", Map.of("bad name", "gpt-4o")));
        assertTrue(e.getMessage().contains("deployments") && e.getMessage().contains("bad name"), e.getMessage());
        assertThrows(InvalidFieldException.class, () -> Deployments.of("deployments", Map.of("d", "gpt,4o")));
        assertThrows(InvalidFieldException.class, () -> Deployments.of("deployments", Map.of("d=x", "gpt-4o")));
    }
}
