package dev.llmproxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The metrics checker itself (src/test/node/metrics-check.mjs, through {@link MetricsLint}): it passes a good
 * exposition, as Micrometer writes one, and names each rule a broken one breaks. An IT because it runs Node.js on
 * the packages that {@code npm ci} installs before the integration tests.
 */
class MetricsLintIT {
    private static final String GOOD = """
            # HELP llmproxy_requests_seconds Calls to /v1/*, refusals and cache hits included
            # TYPE llmproxy_requests_seconds histogram
            llmproxy_requests_seconds_bucket{model="gpt-mock",provider="openai",status="200",le="0.005"} 1
            llmproxy_requests_seconds_bucket{model="gpt-mock",provider="openai",status="200",le="0.5"} 3
            llmproxy_requests_seconds_bucket{model="gpt-mock",provider="openai",status="200",le="+Inf"} 3
            llmproxy_requests_seconds_count{model="gpt-mock",provider="openai",status="200"} 3
            llmproxy_requests_seconds_sum{model="gpt-mock",provider="openai",status="200"} 0.041
            llmproxy_requests_seconds_bucket{model="none",provider="none",status="401",le="0.005"} 2
            llmproxy_requests_seconds_bucket{model="none",provider="none",status="401",le="0.5"} 2
            llmproxy_requests_seconds_bucket{model="none",provider="none",status="401",le="+Inf"} 2
            llmproxy_requests_seconds_count{model="none",provider="none",status="401"} 2
            llmproxy_requests_seconds_sum{model="none",provider="none",status="401"} 0.004
            # HELP jvm_gc_pause_seconds Time spent in GC pause
            # TYPE jvm_gc_pause_seconds summary
            jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 4
            jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.02
            # HELP llmproxy_records_written_total Request records written to the database
            # TYPE llmproxy_records_written_total counter
            llmproxy_records_written_total 57.0
            # HELP cache_gets_total The number of times cache lookup methods have returned a cached value.
            # TYPE cache_gets_total counter
            cache_gets_total{cache="token_checks",result="hit"} 12.0
            cache_gets_total{cache="token_checks",result="miss"} 3.0
            # HELP llmproxy_calls_in_flight Calls being answered now
            # TYPE llmproxy_calls_in_flight gauge
            llmproxy_calls_in_flight 0.0
            # HELP process_start_time_seconds Start time of the process since unix epoch.
            # TYPE process_start_time_seconds gauge
            process_start_time_seconds 1.764709e9
            # HELP jvm_info_escape A label value with "quotes", a backslash \\\\ and a newline \\n
            # TYPE jvm_info_escape gauge
            jvm_info_escape{vendor="a \\"quoted\\" name, with {braces}",path="C:\\\\dir"} NaN
            """;

    @Test
    void aGoodExpositionPasses() {
        assertEquals(List.of(), MetricsLint.problems(GOOD));
    }

    @Test
    void anExpositionThatMicrometerWroteStillPassesWhenReordered() {
        // Blank lines and plain comments are allowed anywhere; families may come in any order.
        String[] families = GOOD.split("(?=# HELP )");
        StringBuilder reversed = new StringBuilder("# a comment\n\n");
        for (int i = families.length - 1; i >= 0; i--) {
            reversed.append(families[i]).append('\n');
        }
        assertEquals(List.of(), MetricsLint.problems(reversed.toString()));
    }

    @Test
    void badNamesValuesAndLabelsAreNamed() {
        assertProblem("""
                # TYPE llmproxy-calls gauge
                """, "invalid metric name \"llmproxy-calls\"");
        assertProblem("""
                # TYPE calls gauge
                calls{1model="x"} 1
                """, "invalid label name \"1model\"");
        assertProblem("""
                # TYPE calls gauge
                calls{model="x",model="y"} 1
                """, "a label is named twice");
        assertProblem("""
                # TYPE calls gauge
                calls{__name__="x"} 1
                """, "label name \"__name__\" is reserved");
        assertProblem("""
                # TYPE calls gauge
                calls one
                """, "value \"one\" is not a float");
        assertProblem("""
                # TYPE calls gauge
                calls{model="x" 1
                """, "not a valid sample");
        assertProblem("""
                # TYPE calls gauge
                calls 1 1700000000000 extra
                """, "more than a value and a timestamp");
    }

    @Test
    void helpAndTypeComeOnceAndBeforeTheSamples() {
        assertProblem("""
                # HELP calls Calls
                # HELP calls Calls again
                # TYPE calls gauge
                calls 1
                """, "calls: second HELP line");
        assertProblem("""
                # TYPE calls gauge
                # TYPE calls counter
                calls 1
                """, "calls: second TYPE line");
        assertProblem("""
                calls 1
                # TYPE calls gauge
                """, "calls: TYPE after the family's samples");
        assertProblem("""
                # TYPE calls gauge
                calls{a="1"} 1
                # TYPE other gauge
                other 1
                calls{a="2"} 2
                """, "calls: its lines are not in one group");
        assertProblem("""
                # TYPE calls summary_ish
                calls 1
                """, "unknown TYPE \"summary_ish\"");
    }

    @Test
    void countersEndInTotalAndOnlyHistogramsAndSummariesUseTheirSuffixesAndLabels() {
        assertProblem("""
                # TYPE llmproxy_records_written counter
                llmproxy_records_written 3
                """, "counter metrics should have \"_total\" suffix");
        assertProblem("""
                # TYPE queue_count gauge
                queue_count 3
                """, "should not have \"_count\" suffix");
        assertProblem("""
                # TYPE latency gauge
                latency{le="1"} 3
                """, "non-histogram metrics should not have \"le\" label");
        assertProblem("""
                # TYPE latency gauge
                latency{quantile="0.5"} 3
                """, "non-summary metrics should not have \"quantile\" label");
    }

    @Test
    void histogramBucketsAreOrderedCumulativeEndInInfAndMatchTheCount() {
        assertProblem("""
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.5"} 1
                latency_seconds_bucket{le="0.1"} 1
                latency_seconds_bucket{le="+Inf"} 1
                latency_seconds_count 1
                latency_seconds_sum 0.2
                """, "buckets not in increasing order of le");
        assertProblem("""
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 2
                latency_seconds_bucket{le="0.5"} 1
                latency_seconds_bucket{le="+Inf"} 2
                latency_seconds_count 2
                latency_seconds_sum 0.2
                """, "bucket counts are not cumulative");
        assertProblem("""
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 1
                latency_seconds_bucket{le="0.5"} 1
                latency_seconds_count 1
                latency_seconds_sum 0.2
                """, "buckets do not end in le=\"+Inf\"");
        assertProblem("""
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 1
                latency_seconds_bucket{le="+Inf"} 2
                latency_seconds_count 3
                latency_seconds_sum 0.2
                """, "latency_seconds_count 3 differs from the +Inf bucket 2");
        assertProblem("""
                # TYPE latency_seconds histogram
                latency_seconds_bucket{path="/a"} 1
                latency_seconds_count{path="/a"} 1
                latency_seconds_sum{path="/a"} 0.2
                """, "bucket without \"le\" label");
        assertProblem("""
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="+Inf"} 1
                latency_seconds_sum 0.2
                """, "no latency_seconds_count");
    }

    @Test
    void aSeriesAppearsOnce() {
        assertProblem("""
                # TYPE calls_total counter
                calls_total{model="x",status="200"} 1
                calls_total{status="200",model="x"} 2
                """, "duplicate series");
    }

    @Test
    void summariesHaveQuantilesWithinZeroAndOne() {
        assertProblem("""
                # TYPE rpc_seconds summary
                rpc_seconds{quantile="1.5"} 3
                rpc_seconds_count 2
                rpc_seconds_sum 1
                """, "quantile=\"1.5\" is not within [0, 1]");
    }

    private static void assertProblem(String exposition, String expected) {
        List<String> problems = MetricsLint.problems(exposition);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected a problem containing '" + expected
                + "' for:\n" + exposition + "got: " + problems);
    }
}
