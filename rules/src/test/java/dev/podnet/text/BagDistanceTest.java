package dev.podnet.text;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import org.apache.commons.text.similarity.DamerauLevenshteinDistance;
import org.junit.jupiter.api.Test;

/** {@link DidYouMean#bagDistance} is a lower bound of the distance, so the pre-filter never drops a close word. */
class BagDistanceTest {
    private static final DamerauLevenshteinDistance OSA = new DamerauLevenshteinDistance();

    @Property(tries = 3000)
    void neverExceedsTheDistance(@ForAll @StringLength(max = 12) @Chars({'a', 'b', 'c', '-', 'A', '1', 'q', '\u00e9'})
                                 String a,
                                 @ForAll @StringLength(max = 12) @Chars({'a', 'b', 'c', '-', 'A', '1', 'q', '\u00e9'})
                                 String b) {
        assertThat(DidYouMean.bagDistance(a, b)).isLessThanOrEqualTo(OSA.apply(a, b));
    }

    @Property(tries = 2000)
    void isCloseAgreesWithTheUnfilteredDistance(@ForAll @StringLength(min = 3, max = 10) @Chars({'a', 'b', 'p', '-',
            'x'}) String a, @ForAll @StringLength(max = 10) @Chars({'a', 'b', 'p', '-', 'x'}) String b) {
        boolean expected = a.equalsIgnoreCase(b) || OSA.apply(a, b) <= DidYouMean.limit(a);
        assertThat(DidYouMean.isClose(a, b)).isEqualTo(expected);
    }

    @Test
    void farApartWordsAreRuledOutByTheBound() {
        assertThat(DidYouMean.bagDistance("client-5", "svc-123")).isGreaterThan(DidYouMean.limit("client-5"));
        assertThat(DidYouMean.bagDistance("fronted", "frontend")).isEqualTo(1);
        assertThat(DidYouMean.isClose("fronted", "frontend")).isTrue();
        assertThat(DidYouMean.isClose("rangeStrat", "rangeStart")).isTrue();
    }
}
