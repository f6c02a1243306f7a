package dev.podnet.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The YAML parser's heap guard gives up on a stream only when collections take the time and the heap is nearly
 * full: a 19 MB List of 50,000 NetworkPolicies on a loaded 2-core machine spent over 90% of a window in (wall-clock)
 * collections while the heap used 1.6 of 5.3 GB, and was reported as "not enough memory" (SYN004).
 */
class HeapGuardTest {
    private static final long GB = 1L << 30;

    @Test
    void collectionsWhileTheHeapCanStillGrowAreNotOutOfHeap() {
        assertThat(YamlSourceParser.HeapGuard.outOfHeap(1900, 2000, 2 * GB, 5 * GB)).isFalse();
    }

    @Test
    void collectionsOnANearlyFullHeapAreOutOfHeap() {
        assertThat(YamlSourceParser.HeapGuard.outOfHeap(1900, 2000, 230L << 20, 247L << 20)).isTrue();
    }

    @Test
    void aFullHeapThatCollectsLittleIsNotGivenUpYet() {
        assertThat(YamlSourceParser.HeapGuard.outOfHeap(500, 2000, 240L << 20, 247L << 20)).isFalse();
    }
}
