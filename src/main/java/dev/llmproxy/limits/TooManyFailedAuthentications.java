package dev.llmproxy.limits;

import dev.llmproxy.DomainException;

/** The client address failed to authenticate too often (see {@link AuthFailures}): refused until it may try again. */
public final class TooManyFailedAuthentications extends DomainException {
    public TooManyFailedAuthentications(long retryAfterSeconds) {
        super(Kind.RATE_LIMITED, "too_many_failed_authentications", "Too many failed authentications from this"
                + " address; try again in " + retryAfterSeconds + " s", retryAfterSeconds);
    }
}
