package dev.podnet.cni.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    static final List<String> HOST_LOCAL = List.of("type", "subnet", "rangeStart", "rangeEnd", "gateway", "ranges",
            "routes", "dataDir", "resolvConf");

    @Test
    void transposedLettersAreOneEdit() {
        assertThat(Suggestions.distance("rangestrat", "rangestart")).isEqualTo(1);
        assertThat(Suggestions.closest("rangeStrat", HOST_LOCAL)).contains("rangeStart");
    }

    @Test
    void caseInsensitiveMatchWins() {
        assertThat(Suggestions.closest("hairpinmode", List.of("hairpinMode", "promiscMode"))).contains("hairpinMode");
        assertThat(Suggestions.closest("RANGES", HOST_LOCAL)).contains("ranges");
    }

    @Test
    void farOffWordsGetNoSuggestion() {
        assertThat(Suggestions.closest("owner", HOST_LOCAL)).isEmpty();
        assertThat(Suggestions.closest("ab", List.of("mtu"))).isEmpty();
    }

    @Test
    void distanceBasics() {
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }
}
