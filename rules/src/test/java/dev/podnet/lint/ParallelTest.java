package dev.podnet.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void resultsAreInInputOrderWhateverTheCosts() {
        List<Integer> in = IntStream.range(0, 500).boxed().toList();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<String> out = Parallel.map(in, i -> (i * 7919L) % 101, i -> {
            threads.add(Thread.currentThread().getName());
            return "v" + i;
        });
        assertThat(out).containsExactlyElementsOf(in.stream().map(i -> "v" + i).toList());
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertThat(threads).containsExactly(Thread.currentThread().getName());
        }
    }

    @Test
    void largestItemsAreTakenFirst() {
        // On one thread (a single-item tail aside) the order items start in is the cost order.
        List<Integer> in = List.of(3, 9, 1, 7, 5);
        List<Integer> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        Parallel.map(in, i -> i, i -> {
            started.add(i);
            return i;
        });
        assertThat(started).containsExactlyInAnyOrder(9, 7, 5, 3, 1);
        assertThat(started.get(0)).isIn(9, 7); // the two threads start with the two largest
    }

    @Test
    void emptyAndSingleInputs() {
        assertThat(Parallel.map(List.<String>of(), String::length, String::length)).isEmpty();
        assertThat(Parallel.map(List.of("abc"), String::length, String::length)).containsExactly(3);
    }

    @Test
    void aFailureReachesTheCaller() {
        // Which failing item throws first depends on thread timing (a thread may be preempted right after taking
        // an item), so either message may come back; the caller always gets one of them, never a result.
        List<Integer> in = IntStream.range(0, 10_000).boxed().toList();
        assertThatThrownBy(() -> Parallel.map(in, i -> -i, i -> {
            if (i == 3 || i == 5_000) {
                throw new IllegalStateException("boom " + i);
            }
            return i;
        })).isInstanceOf(IllegalStateException.class).hasMessageMatching("boom (3|5000)");
        assertThatThrownBy(() -> Parallel.map(List.of(1, 2), i -> i, i -> {
            throw new StackOverflowError();
        })).isInstanceOf(StackOverflowError.class);
    }
}
