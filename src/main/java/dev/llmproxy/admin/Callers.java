package dev.llmproxy.admin;

import dev.llmproxy.audit.Actor;
import jakarta.servlet.http.HttpServletRequest;

/** The authenticated caller of an admin API request, as ManagementAuthFilter left it on the request. */
final class Callers {
    private Callers() {
    }

    static Actor actor(HttpServletRequest request) {
        Object actor = request.getAttribute(Actor.ATTRIBUTE);
        if (actor instanceof Actor a) {
            return a;
        }
        throw new IllegalStateException("No authenticated caller on an admin API request; is ManagementAuthFilter"
                + " registered?");
    }
}
