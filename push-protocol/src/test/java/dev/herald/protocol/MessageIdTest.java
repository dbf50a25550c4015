package dev.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageIdTest {

    @Test
    void textFormIsTwentySixCrockfordCharactersAndParsesBack() {
        for (int i = 0; i < 1000; i++) {
            MessageId id = MessageId.generate();
            String text = id.toString();

            assertThat(text).hasSize(26).matches("[0-7][0-9A-HJKMNP-TV-Z]{25}");
            assertThat(MessageId.parse(text)).isEqualTo(id);
            assertThat(MessageId.isValid(text)).isTrue();
        }
    }

    @Test
    void arbitraryBitPatternsSurviveTheTextRoundTrip() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            MessageId id = new MessageId(random.nextLong(), random.nextLong());
            assertThat(MessageId.parse(id.toString())).as("seed %d", seed).isEqualTo(id);
        }
    }

    @Test
    void extremeValuesHaveTheirExpectedTextForm() {
        assertThat(new MessageId(0, 0).toString()).isEqualTo("00000000000000000000000000");
        assertThat(new MessageId(-1, -1).toString()).isEqualTo("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        assertThat(new MessageId(0, 1).toString()).isEqualTo("00000000000000000000000001");
        assertThat(new MessageId(0, 32).toString()).isEqualTo("00000000000000000000000010");
        assertThat(MessageId.parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ")).isEqualTo(new MessageId(-1, -1));
    }

    @Test
    void parsingIgnoresCase() {
        MessageId id = MessageId.generate();

        assertThat(MessageId.parse(id.toString().toLowerCase())).isEqualTo(id);
    }

    @Test
    void theFirst48BitsAreTheCreationTime() {
        long millis = 1_732_000_000_123L;
        MessageId id = MessageId.generate(millis);

        assertThat(id.epochMillis()).isEqualTo(millis);
        assertThat(id.high() >>> 16).isEqualTo(millis);
    }

    @Test
    void idsSortByCreationTimeAndTextSortsLikeTheIds() {
        List<MessageId> ids = new ArrayList<>();
        for (long t = 1_700_000_000_000L; t < 1_700_000_000_000L + 500; t += 5) {
            ids.add(MessageId.generate(t));
        }
        List<MessageId> shuffled = new ArrayList<>(ids);
        java.util.Collections.shuffle(shuffled, new java.util.Random(42));

        assertThat(shuffled.stream().sorted().toList()).isEqualTo(ids);
        assertThat(shuffled.stream().sorted(Comparator.comparing(MessageId::toString)).toList()).isEqualTo(ids);
    }

    @Test
    void comparisonIsUnsigned() {
        MessageId small = new MessageId(0x7FFF_FFFF_FFFF_FFFFL, 0);
        MessageId large = new MessageId(0x8000_0000_0000_0000L, 0);

        assertThat(small).isLessThan(large);
        assertThat(new MessageId(1, 0x7FFF_FFFF_FFFF_FFFFL)).isLessThan(new MessageId(1, -1));
        assertThat(small.toString()).isLessThan(large.toString());
    }

    @Test
    void idsOfABatchShareTheirPrefixAndSortInRequestOrder() {
        MessageId[] ids = MessageId.batch(500);
        String prefix = ids[0].toString().substring(0, MessageId.SHARED_PREFIX_CHARS);
        for (int i = 0; i < ids.length; i++) {
            assertThat(ids[i].toString()).startsWith(prefix);
            assertThat(MessageId.parse(ids[i].toString())).isEqualTo(ids[i]);
            if (i > 0) {
                assertThat(ids[i]).isGreaterThan(ids[i - 1]);
            }
        }
        assertThat(List.of(ids)).doesNotHaveDuplicates();
        // Two batches of the same millisecond differ in their prefix (16 random bits, 10 of them in the text).
        assertThat(MessageId.batch(1)[0].epochMillis()).isGreaterThanOrEqualTo(ids[0].epochMillis());
        assertThatThrownBy(() -> MessageId.batch(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageId.batch(MessageId.MAX_BATCH + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
            "",
            "0000000000000000000000000",   // 25 characters
            "000000000000000000000000000", // 27 characters
            "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",  // more than 128 bits
            "0000000000000000000000000U",  // U is not in Crockford base32
            "0000000000000000000000000I",
            "0000000000000000000000000L",
            "0000000000000000000000000O",
            "000000000000000000000000-0",
            "0000000000000000000000000é"})
    void malformedTextIsRejected(String text) {
        assertThatThrownBy(() -> MessageId.parse(text)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MessageId.isValid(text)).isFalse();
    }
}
