package dev.llmproxy.admin;

import java.time.Instant;

/** Body of {@code POST /manage/tokens}: exactly one of {@code duration_minutes} and {@code expires_at}. */
public record CreateTokenRequest(String projectId, Integer durationMinutes, Instant expiresAt, Long maxRequests,
                                 String name, java.math.BigDecimal budgetUsd, String budgetPeriod, Integer rpmLimit,
                                 Integer tpmLimit) {}
