package dev.podnet.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.inventory.Inventory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The 38 conformance cases (upstream e2e NetworkPolicy tests re-expressed on the x/y/z × a/b/c model; copied into
 * test resources as manifests): every verdict of every table must agree, for the fast engine and for the
 * reference evaluator.
 */
class ConformanceTest {
    static final List<String> CASES = List.of("001-no-policies", "002-default-deny-ingress", "003-default-deny-all",
            "004-allow-from-pod-same-namespace", "005-deny-all-then-allow-all-to-target",
            "006-allow-from-all-namespaces", "007-allow-from-namespace-matchlabels",
            "008-podselector-matchexpressions", "010-podselector-or-namespaceselector",
            "011-podselector-and-namespaceselector", "013-any-podselectors", "014-allow-from-pod-in-other-namespace",
            "015-ingress-port-81-from-namespace", "017-allow-all-ingress", "018-named-port-ingress",
            "020-named-port-egress", "021-deny-ingress-from-other-namespaces", "022-deny-egress-single-pod",
            "023-deny-egress-namespace", "024-ingress-and-egress-together", "026-egress-to-pod-in-other-namespace",
            "027-ingress-protocol-only-tcp", "028-ingress-port-80-only", "029-ingress-allow-all-wins-union",
            "030-egress-port-80-only", "031-egress-allow-all-wins-union", "032-egress-ipblock-single-pod-ip",
            "033-egress-ipblock-except", "035-ingress-ipblock-namespace-subnet",
            "036-ingress-egress-controlled-independently", "037-sctp-allow-does-not-allow-tcp",
            "039-udp-allow-does-not-allow-tcp", "040-udp-port-81-from-namespace", "042-endport-range-ingress",
            "044-egress-deny-with-dns-to-kube-dns", "046-policytypes-defaulted-from-egress-rules",
            "048-empty-from-list-matches-all-sources", "051-target-selected-by-extra-label");

    @Test
    void all38CasesAreListed() {
        assertThat(CASES).hasSize(38).doesNotHaveDuplicates();
    }

    @TestFactory
    Stream<DynamicTest> engineTableEqualsExpected() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c, () -> {
            List<String> expected = ReachTestSupport.significant(
                    ReachTestSupport.resource("conformance/" + c + "/expected.txt"));
            Inventory inv = ReachTestSupport.conformance(c);
            ReachabilityEngine engine = new ReachabilityEngine(inv);
            Table t = engine.compute(ReachTestSupport.probes(expected));
            assertSameTable(c, ReachTestSupport.significant(ReachTestSupport.render(t)), expected);
        }));
    }

    @TestFactory
    Stream<DynamicTest> referenceTableEqualsExpected() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c, () -> {
            List<String> expected = ReachTestSupport.significant(
                    ReachTestSupport.resource("conformance/" + c + "/expected.txt"));
            Inventory inv = ReachTestSupport.conformance(c);
            String ref = new ReferenceEvaluator(inv).table(ReferenceEvaluator.sorted(inv),
                    ReachTestSupport.probes(expected));
            assertSameTable(c, ReachTestSupport.significant(ref), expected);
        }));
    }

    /**
     * Same probes in the same order and, per probe, the same set of {@code from to verdict} lines. The pod order
     * must match too, except in case 044 whose expected.txt lists kube-system after z (file order, not sorted).
     */
    static void assertSameTable(String c, List<String> actual, List<String> expected) {
        assertThat(sections(actual).keySet()).as(c + " probes").containsExactlyElementsOf(sections(expected).keySet());
        sections(expected).forEach((probe, lines) -> assertThat(sections(actual).get(probe)).as(c + " " + probe)
                .containsExactlyInAnyOrderElementsOf(lines));
        if (!c.startsWith("044")) {
            assertThat(actual).as(c + " order").containsExactlyElementsOf(expected);
        }
    }

    static java.util.Map<String, List<String>> sections(List<String> lines) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        List<String> cur = null;
        for (String l : lines) {
            if (l.startsWith("[")) {
                cur = new java.util.ArrayList<>();
                out.put(l, cur);
            } else if (cur != null) {
                cur.add(l);
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> explanationVerdictEqualsTable() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c, () -> {
            List<String> expected = ReachTestSupport.significant(
                    ReachTestSupport.resource("conformance/" + c + "/expected.txt"));
            ReachabilityEngine engine = new ReachabilityEngine(ReachTestSupport.conformance(c));
            Table t = engine.compute(ReachTestSupport.probes(expected));
            int n = t.pods().size();
            for (int p = 0; p < t.probes().size(); p++) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        Explanation e = t.explain(p, i, j);
                        assertThat(e.allowed()).as(c + " " + e.lines()).isEqualTo(t.allowed(p, i, j));
                    }
                }
            }
        }));
    }
}
