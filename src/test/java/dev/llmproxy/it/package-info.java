/**
 * Integration tests: the built WAR in a real Tomcat 10.1 and a real WildFly, on a SQLite file and on PostgreSQL,
 * driven over HTTP as a client and an administrator would (Failsafe runs the {@code *IT} classes; {@code mvn verify}).
 *
 * <h2>One deployment per class, contracts on top</h2>
 * {@link dev.llmproxy.it.DeploymentExtension}, registered in a static {@code @RegisterExtension} field of each
 * container x database class ({@code TomcatSqliteIT}, {@code TomcatPostgresIT}, {@code WildFlySqliteIT},
 * {@code WildFlyPostgresIT}), starts once per class what the tests need, set up as server-config's README tells an
 * administrator: a fresh database, the provider mock ({@link dev.llmproxy.it.MockProvider}) and the container with
 * the WAR; it stops them after the class's last test. The tests reach it as a {@link dev.llmproxy.it.Deployment}:
 * the server, the database, the management client, the mock and the readiness answer of the first start.
 * <p>
 * What the proxy must do is written as contracts: interfaces of default {@code @Test} methods over
 * {@link dev.llmproxy.it.Contract}, which gives them the deployment and the shared calls (make a project and a
 * token, call the proxy). A class lists the contracts it runs in its {@code implements} clause:
 * <ul>
 *   <li>{@code DeploymentContract}: schema migrated on first start and untouched on the second, health, management
 *       auth, an admin write read back</li>
 *   <li>{@code ProxyContract}: the official SDKs, streaming without buffering, cancellation, exact quotas,
 *       revocation timing, size limits, error shapes</li>
 *   <li>{@code UsageContract}: records, cost, reports, the audit trail, records across an undeploy</li>
 *   <li>{@code AllowlistContract}: model and origin allowlists</li>
 *   <li>{@code BudgetContract}: project and token budgets under concurrency</li>
 *   <li>{@code RateLimitContract}: requests and tokens per minute, per token and per project</li>
 *   <li>{@code RoutingContract}: retries, fallback, circuit breakers, upstream administration</li>
 *   <li>{@code CacheContract}: the response cache</li>
 *   <li>{@code MetricsContract}: {@code /metrics} after its own traffic, checked by the rules of
 *       {@code promtool check metrics} ({@link dev.llmproxy.it.MetricsLint}, itself tested by
 *       {@code MetricsLintIT})</li>
 *   <li>{@code BackupContract}: a backup under load (SQLite) or the pointer to pg_dump (PostgreSQL)</li>
 *   <li>{@code RedeployContract}: redeploys under load and what they leave behind (jcmd: class loaders, threads,
 *       heap), an undeploy amid 200 calls; run only by {@code TomcatRedeployIT}, since it breaks the deployment
 *       under it</li>
 *   <li>{@code KeepAliveContract}: pooled connections stay usable after early refusals (JDK client, raw sockets,
 *       curl, the SDKs)</li>
 *   <li>{@code HostileInputContract}: one test per finding of #13 (poison values, unreadable bodies, bodies declared
 *       and never sent, token guessing, one-hop headers, odd SSE framing, bodies far over the limit, undecodable
 *       paths)</li>
 *   <li>{@code HttpFuzzContract}: random methods, paths, headers and bodies; prints its seed</li>
 *   <li>{@code DatabaseFaultContract}: a database that stops taking writes blocks no caller and loses no record</li>
 * </ul>
 * There is no order between tests: each makes the projects and tokens it needs, and one that restarts or
 * redeploys the container leaves it running again. Waits are polls with a deadline ({@link dev.llmproxy.it.Poll}),
 * never a guessed sleep. Test names start with the contract's name ({@link dev.llmproxy.it.ContractNames}), so a
 * failure says which contract broke.
 *
 * <h2>How to add a contract</h2>
 * <ol>
 *   <li>Write {@code XyzContract.java}: {@code interface XyzContract extends Contract} with {@code @Test default}
 *       methods; each creates what it needs ({@code openAiProject("xyz")}, {@code token(project, "")}) and asserts
 *       through {@code call(chat(token, "gpt-mock", false))}, {@code admin()}, {@code db()}, {@code mock()}.</li>
 *   <li>Add {@code XyzContract} to the {@code implements} clause of each container x database class that should
 *       run it.</li>
 * </ol>
 * The callers share one address (127.0.0.1, a trusted proxy in the tests): a contract that sends many bad
 * credentials sets its own {@code X-Forwarded-For}, or it uses up the allowance of failed authentications of the
 * others.
 * <p>
 * The other classes here stand alone: {@code TomcatEmbeddedDefaultIT} (a Tomcat with nothing configured) and
 * {@code TomcatTwoInstancesIT} (two Tomcats on one PostgreSQL database). {@link dev.llmproxy.it.Deployments} and
 * the server classes are shared with the benchmark in {@code dev.llmproxy.bench}.
 */
package dev.llmproxy.it;
