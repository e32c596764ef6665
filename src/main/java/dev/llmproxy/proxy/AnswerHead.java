package dev.llmproxy.proxy;

import dev.llmproxy.cache.CacheLookup;
import dev.llmproxy.routing.RoutePlan;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;

/**
 * The provider's answer begins and counts (no retry follows): its status and headers go to the caller with the
 * proxy's own ({@code x-llm-proxy-*}, the cache's status, our rate-limit headers over the provider's), the record
 * learns who answered, the meter reads what usage they carry, and the answer's content type chooses how it is
 * tapped on its way.
 */
final class AnswerHead {
    /** Which of the project's upstreams answered, and after how many attempts (retries and fallbacks). */
    static final String UPSTREAM_HEADER = "x-llm-proxy-upstream";
    static final String ATTEMPTS_HEADER = "x-llm-proxy-attempts";

    private AnswerHead() {
    }

    static ResponseTap pass(UpstreamTransport.Response response, RoutePlan.Attempt attempt, AdmittedCall admitted,
                            CallRecord call, Caller caller, OpenAiErrors errors) {
        int status = response.status();
        HttpFields headers = response.headers();
        String answeredBy = attempt.target().name();
        call.upstream(answeredBy, attempt.target().provider(), admitted.plan().attempts());
        call.firstByte(status);
        String type = headers.get("Content-Type");
        admitted.meter().answerHeaders(headers::getValuesList);
        ResponseTap tap = ResponseTap.forContentType(type == null ? "" : type.toLowerCase(Locale.ROOT),
                admitted.meter(), admitted.cache(), call.path(), errors);
        call.streamed(tap.streamed());
        caller.status(status);
        HeaderCopier.toCaller(headers, tap.streamed(), caller);
        caller.setHeader(UPSTREAM_HEADER, answeredBy);
        caller.setHeader(ATTEMPTS_HEADER, String.valueOf(admitted.plan().attempts()));
        admitted.cache().onUpstreamHeaders(status, type, headers.getLongField("Content-Length"), tap.streamed(),
                answeredBy).ifPresent(v -> caller.setHeader(CacheLookup.STATUS_HEADER, v));
        admitted.rateHeaders().forEach(caller::setHeader);
        return tap;
    }
}
