package dev.llmproxy.admin;

import dev.llmproxy.project.KeyRotation;
import dev.llmproxy.project.KeyStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /manage/keys}: which master key seals how many stored secrets, and re-sealing them all under the current
 * key (docs/operations.md, "Rotating the master key"). Key ids only: no response holds key material.
 */
@Path("keys")
@Produces(MediaType.APPLICATION_JSON)
public final class KeyResource {
    private final KeyRotation rotation;

    public KeyResource(KeyRotation rotation) {
        this.rotation = rotation;
    }

    @GET
    public KeyStatus status() {
        return rotation.status();
    }

    /** Audited as {@code keys.re_encrypted}; answers what was re-sealed and the state after it. */
    @POST
    @Path("re-encrypt")
    public KeyRotation.ReEncryption reEncrypt(@Context HttpServletRequest request) {
        return rotation.reEncrypt(Callers.actor(request));
    }
}
