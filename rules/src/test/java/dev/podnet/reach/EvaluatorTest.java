package dev.podnet.reach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.podnet.lint.InputFile;
import org.junit.jupiter.api.Test;

/** Non-pod peers (external IPs, the node), CIDR targets, explanations and enforcement switches. */
class EvaluatorTest {
    static final String CLUSTER = """
            apiVersion: v1
            kind: Node
            metadata: {name: node-a}
            status: {addresses: [{type: InternalIP, address: 192.0.2.11}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-0, namespace: shop, labels: {app: web}}
            spec:
              nodeName: node-a
              containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
            status: {podIP: 10.244.1.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api-0, namespace: shop, labels: {app: api}}
            spec:
              nodeName: node-b
              containers: [{name: api, image: api, ports: [{name: http, containerPort: 8080}]}]
            status: {podIP: 10.244.2.10}
            """;
    static final String POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: lockdown, namespace: shop}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
              ingress:
              - from: [{ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.128/25]}}]
                ports: [{port: http}]
              egress:
              - to: [{ipBlock: {cidr: 198.51.100.0/24}}]
                ports: [{port: 5432}]
            """;

    static Connectivity conn(String project) {
        InputFile[] in = project == null
                ? new InputFile[] {InputFile.of("cluster.yaml", CLUSTER), InputFile.of("np.yaml", POLICIES)}
                : new InputFile[] {InputFile.of("cluster.yaml", CLUSTER), InputFile.of("np.yaml", POLICIES),
                    InputFile.of("podnet.yaml", project)};
        return new Connectivity(new ReachabilityEngine(ReachTestSupport.inventory(in)));
    }

    static Connectivity.Outcome eval(Connectivity c, String from, String to, String probe) throws Exception {
        return c.evaluate(c.resolve(from), c.resolve(to), Probe.parse(probe));
    }

    @Test
    void externalSourcesMatchIpBlockWithExceptAndNamedPortOnTheDestination() throws Exception {
        Connectivity c = conn(null);
        assertThat(eval(c, "203.0.113.7", "shop/web-0", "8080/TCP").verdict()).isEqualTo("allow");
        assertThat(eval(c, "203.0.113.200", "shop/web-0", "8080/TCP").verdict()).isEqualTo("deny");
        assertThat(eval(c, "203.0.113.7", "shop/web-0", "9090/TCP").verdict()).isEqualTo("deny");
        Explanation e = eval(c, "203.0.113.7", "shop/web-0", "8080/TCP").pairs().get(0).explanation();
        assertThat(e.ingress().allowedBy().label()).isEqualTo("shop/lockdown ingress[0]");
        assertThat(e.ingress().allowedBy().range().startLine()).isEqualTo(7);
        assertThat(e.egress().applies()).isFalse();
    }

    @Test
    void externalDestinationsNeedAnEgressRuleAndNeverResolveNamedPorts() throws Exception {
        Connectivity c = conn(null);
        assertThat(eval(c, "shop/web-0", "198.51.100.20", "5432/TCP").verdict()).isEqualTo("allow");
        assertThat(eval(c, "shop/web-0", "198.51.100.20", "5433/TCP").verdict()).isEqualTo("deny");
        assertThat(eval(c, "shop/web-0", "192.0.2.99", "5432/TCP").verdict()).isEqualTo("deny");
    }

    @Test
    void theOwnNodeIsAlwaysAllowedOtherNodesAreNot() throws Exception {
        Connectivity c = conn(null);
        Connectivity.Outcome own = eval(c, "192.0.2.11", "shop/web-0", "8080/TCP");
        assertThat(own.verdict()).isEqualTo("allow");
        assertThat(own.pairs().get(0).explanation().shortcut()).isEqualTo(Explanation.Shortcut.NODE);
        assertThat(eval(c, "192.0.2.11", "shop/api-0", "8080/TCP").verdict()).isEqualTo("deny");
        assertThat(eval(c, "shop/web-0", "192.0.2.11", "10250/TCP").verdict()).isEqualTo("allow");
    }

    @Test
    void selfIsAllowedAndPodIpResolvesToThePod() throws Exception {
        Connectivity c = conn(null);
        Connectivity.Outcome self = eval(c, "shop/web-0", "10.244.1.10", "8080/TCP");
        assertThat(self.verdict()).isEqualTo("allow");
        assertThat(self.pairs().get(0).explanation().shortcut()).isEqualTo(Explanation.Shortcut.SELF);
        assertThat(eval(c, "shop/api-0", "shop/web-0", "8080/TCP").verdict()).isEqualTo("deny");
    }

    @Test
    void cidrTargetCoversPodsAndEveryRegionOfTheIpBlocks() throws Exception {
        Connectivity c = conn(null);
        // 203.0.113.0/24 is half allowed (except /25): partial
        assertThat(eval(c, "203.0.113.0/24", "shop/web-0", "8080/TCP").verdict()).isEqualTo("partial");
        assertThat(eval(c, "203.0.113.0/25", "shop/web-0", "8080/TCP").verdict()).isEqualTo("allow");
        assertThat(eval(c, "203.0.113.128/25", "shop/web-0", "8080/TCP").verdict()).isEqualTo("deny");
        // the pod range: the two pods (web-0 to itself is skipped)
        Connectivity.Outcome pods = eval(c, "shop/web-0", "10.244.0.0/16", "8080/TCP");
        assertThat(pods.pairs()).extracting(p -> p.explanation().to().label()).contains("shop/api-0");
    }

    @Test
    void ipBlockMatchesPodIpsOnlyWhenTheProjectSaysSo() throws Exception {
        String np = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: api-from-range, namespace: shop}
                spec:
                  podSelector: {matchLabels: {app: api}}
                  ingress: [{from: [{ipBlock: {cidr: 10.244.0.0/16}}]}]
                """;
        for (String mode : new String[] {"true", "false"}) {
            var inv = ReachTestSupport.inventory(InputFile.of("cluster.yaml", CLUSTER), InputFile.of("np.yaml", np),
                    InputFile.of("podnet.yaml", "cluster: {ipBlockMatchesPodIPs: " + mode + "}\n"));
            Table t = new ReachabilityEngine(inv).compute(java.util.List.of(Probe.parse("8080/TCP")));
            // pods sorted: shop/api-0, shop/web-0
            assertThat(t.allowed(0, 1, 0)).as(mode).isEqualTo(mode.equals("true"));
        }
    }

    @Test
    void noEnforcementAllowsEverything() throws Exception {
        Connectivity c = conn("cluster: {policyEnforcement: flannel}\n");
        Connectivity.Outcome o = eval(c, "shop/api-0", "shop/web-0", "8080/TCP");
        assertThat(o.verdict()).isEqualTo("allow");
        assertThat(o.pairs().get(0).explanation().shortcut()).isEqualTo(Explanation.Shortcut.NO_ENFORCEMENT);
    }

    @Test
    void probeParsing() {
        assertThat(Probe.parse("53/udp")).isEqualTo(new Probe(53, "UDP"));
        assertThat(Probe.parse("80")).isEqualTo(new Probe(80, "TCP"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Probe.parse("0/TCP"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Probe.parse("http"))
                .hasMessageContaining("PORT/PROTOCOL");
    }
}
