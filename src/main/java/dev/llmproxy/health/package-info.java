/** Liveness and readiness endpoints for load balancers and orchestrators; no authentication, JSON bodies. */
package dev.llmproxy.health;
