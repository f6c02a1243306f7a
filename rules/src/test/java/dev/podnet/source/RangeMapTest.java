package dev.podnet.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link RangeMap} behaves as a map: random operation sequences give what a {@link LinkedHashMap} gives. */
class RangeMapTest {
    private record Op(int kind, String key, Range range) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        // few distinct keys so puts, removes and re-puts of one key mix; enough operations to rehash several times
        Arbitrary<String> keys = Arbitraries.integers().between(0, 300).map(i -> "/spec/ingress/" + i);
        Arbitrary<Range> ranges = Arbitraries.integers().between(-1, 5000)
                .map(i -> new Range(i, i % 7, i + 1, i % 11));
        Arbitrary<Op> op = Combinators.combine(Arbitraries.integers().between(0, 5), keys, ranges).as(Op::new);
        return op.list().ofMaxSize(1500);
    }

    @Property(tries = 200)
    void agreesWithLinkedHashMap(@ForAll("ops") List<Op> ops) {
        RangeMap m = new RangeMap();
        Map<String, Range> ref = new LinkedHashMap<>();
        for (Op o : ops) {
            switch (o.kind()) {
                case 0, 1 -> assertThat(m.put(o.key(), o.range())).isEqualTo(ref.put(o.key(), o.range()));
                case 2 -> assertThat(m.putIfAbsent(o.key(), o.range())).isEqualTo(ref.putIfAbsent(o.key(), o.range()));
                case 3 -> assertThat(m.remove(o.key())).isEqualTo(ref.remove(o.key()));
                case 4 -> assertThat(m.get(o.key())).isEqualTo(ref.get(o.key()));
                default -> assertThat(m.containsKey(o.key())).isEqualTo(ref.containsKey(o.key()));
            }
            assertThat(m.size()).isEqualTo(ref.size());
        }
        assertThat(m).isEqualTo(ref);
        assertThat(new HashMap<>(ref)).isEqualTo(m);
        assertThat(m.hashCode()).isEqualTo(ref.hashCode());
        // Insertion order, as a LinkedHashMap keeps it (a key removed and put again goes last in both).
        assertThat(new ArrayList<>(m.keySet())).containsExactlyElementsOf(ref.keySet());
    }

    @Test
    void iteratorRemovesAndOtherKeysStay() {
        RangeMap m = new RangeMap();
        for (int i = 0; i < 40; i++) {
            m.put("/" + i, Range.at(i, i));
        }
        for (Iterator<Map.Entry<String, Range>> it = m.entrySet().iterator(); it.hasNext(); ) {
            if (Integer.parseInt(it.next().getKey().substring(1)) % 2 == 0) {
                it.remove();
            }
        }
        assertThat(m).hasSize(20).containsEntry("/7", Range.at(7, 7)).doesNotContainKey("/8");
        m.put("/8", Range.at(1, 2));
        assertThat(m.get("/8")).isEqualTo(Range.at(1, 2));
        assertThat(m.get(null)).isNull();
        assertThat(m.get(42)).isNull();
        assertThatThrownBy(() -> m.put(null, Range.FILE_START)).isInstanceOf(NullPointerException.class);
        m.clear();
        assertThat(m).isEmpty();
        m.put("", Range.at(0, 1));
        assertThat(m).containsOnlyKeys("");
    }
}
