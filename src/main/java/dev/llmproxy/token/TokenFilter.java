package dev.llmproxy.token;

import dev.llmproxy.LlmProxy;
import dev.llmproxy.proxy.OpenAiErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * In front of the proxy servlet: takes the proxy token from {@code Authorization: Bearer} (OpenAI SDKs),
 * {@code x-api-key} (Anthropic SDK) or {@code api-key} (Azure style), admits the request or refuses it with an
 * OpenAI-style error, and hands the admitted grant to the servlet.
 */
public final class TokenFilter extends HttpFilter {
    private transient TokenGate gate;
    private transient OpenAiErrors errors;

    @Override
    public void init() throws ServletException {
        LlmProxy app = LlmProxy.from(getServletContext());
        gate = app.tokenGate();
        errors = app.openAiErrors();
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        TokenGrant grant;
        try {
            grant = gate.admit(presentedToken(req));
        } catch (TokenRefusedException e) {
            errors.write(resp, e);
            return;
        }
        req.setAttribute(TokenGrant.REQUEST_ATTRIBUTE, grant);
        chain.doFilter(req, resp);
    }

    static String presentedToken(HttpServletRequest req) {
        String authorization = req.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        String anthropic = req.getHeader("x-api-key");
        if (anthropic != null) {
            return anthropic.trim();
        }
        String azure = req.getHeader("api-key");
        return azure == null ? null : azure.trim();
    }
}
