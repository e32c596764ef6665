package dev.llmproxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmproxy.InvalidFieldException;
import dev.llmproxy.usage.Price;
import dev.llmproxy.usage.Prices;
import dev.llmproxy.usage.Usd;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /manage/prices}: the effective price table (shipped dated defaults and admin overrides), in USD per million
 * tokens; {@code PUT} sets a model's price (a model name or a prefix), {@code DELETE} removes an override.
 */
@Path("prices")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class PriceResource {
    private static final Set<String> FIELDS = Set.of("input_per_mtok_usd", "cached_input_per_mtok_usd",
            "cache_write_per_mtok_usd", "output_per_mtok_usd");
    private final Prices prices;

    public PriceResource(Prices prices) {
        this.prices = prices;
    }

    @GET
    public Map<String, Object> list() {
        List<Map<String, Object>> items = prices.table().all().values().stream()
                .sorted(Comparator.comparing(Price::model)).map(PriceResource::view).toList();
        return Map.of("items", items);
    }

    @PUT
    @Path("{model: .+}")
    public Map<String, Object> put(@PathParam("model") String model, JsonNode body,
                                   @Context HttpServletRequest request) {
        JsonFields fields = new JsonFields(body, FIELDS);
        long input = Usd.toMicros("input_per_mtok_usd", fields.decimal("input_per_mtok_usd")
                .orElseThrow(() -> new InvalidFieldException("input_per_mtok_usd", "is required")));
        long output = Usd.toMicros("output_per_mtok_usd", fields.decimal("output_per_mtok_usd")
                .orElseThrow(() -> new InvalidFieldException("output_per_mtok_usd", "is required")));
        Long cached = fields.decimal("cached_input_per_mtok_usd").map(v -> Usd.toMicros("cached_input_per_mtok_usd", v))
                .orElse(null);
        Long write = fields.decimal("cache_write_per_mtok_usd").map(v -> Usd.toMicros("cache_write_per_mtok_usd", v))
                .orElse(null);
        return view(prices.put(Callers.actor(request), model, input, cached, write, output));
    }

    @DELETE
    @Path("{model: .+}")
    public Response remove(@PathParam("model") String model, @Context HttpServletRequest request) {
        prices.remove(Callers.actor(request), model);
        return Response.noContent().build();
    }

    static Map<String, Object> view(Price p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", p.model());
        m.put("input_per_mtok_usd", Usd.fromMicros(p.inputMicrosPerMTok()));
        m.put("cached_input_per_mtok_usd", p.cachedInputMicrosPerMTok() == null ? null : Usd.fromMicros(p.cachedInputMicrosPerMTok()));
        m.put("cache_write_per_mtok_usd", p.cacheWriteMicrosPerMTok() == null ? null : Usd.fromMicros(p.cacheWriteMicrosPerMTok()));
        m.put("output_per_mtok_usd", Usd.fromMicros(p.outputMicrosPerMTok()));
        m.put("source", p.source());
        return m;
    }

}
