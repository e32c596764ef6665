package dev.llmproxy.admin;

import dev.llmproxy.backup.Backup;
import dev.llmproxy.backup.Backups;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /manage/backup}: a consistent snapshot of the live SQLite database (501 on PostgreSQL: pg_dump). */
@Path("backup")
@Produces(MediaType.APPLICATION_JSON)
public final class BackupResource {
    private final Backups backups;

    public BackupResource(Backups backups) {
        this.backups = backups;
    }

    @POST
    public Response create(@Context HttpServletRequest request) {
        Backup backup = backups.create(Callers.actor(request));
        return Response.status(Response.Status.CREATED).entity(backup).build();
    }
}
