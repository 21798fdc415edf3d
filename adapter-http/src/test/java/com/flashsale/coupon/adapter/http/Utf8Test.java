package com.flashsale.coupon.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class Utf8Test {

    /** Where the JDK's decoder, told to report errors, finds the first ill-formed sequence; -1 when none. */
    private static int jdk(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length * 2 + 1), true);
        return result.isError() ? in.position() : -1;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    @DisplayName("well-formed text of one to four bytes a character passes")
    void wellFormedText_passes() {
        assertThat(Utf8.firstMalformed("user_12345 é € 𝄞 ✓".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(Utf8.firstMalformed(new byte[0])).isEqualTo(-1);
    }

    @Test
    @DisplayName("each kind of ill-formed sequence is found where it starts")
    void illFormedSequences_areFoundWhereTheyStart() {
        assertThat(Utf8.firstMalformed(bytes('x', 0xFF))).isEqualTo(1);
        assertThat(Utf8.firstMalformed(bytes('x', 0x80))).isEqualTo(1); // a lone continuation byte
        assertThat(Utf8.firstMalformed(bytes('x', 0xC0, 0xAF))).isEqualTo(1); // overlong '/'
        assertThat(Utf8.firstMalformed(bytes('x', 0xE0, 0x80, 0xAF))).isEqualTo(1); // overlong, three bytes
        assertThat(Utf8.firstMalformed(bytes('x', 0xED, 0xA0, 0x80))).isEqualTo(1); // a surrogate
        assertThat(Utf8.firstMalformed(bytes('x', 0xF4, 0x90, 0x80, 0x80))).isEqualTo(1); // past U+10FFFF
        assertThat(Utf8.firstMalformed(bytes('x', 'y', 0xE2, 0x82))).isEqualTo(2); // cut short at the end
        assertThat(Utf8.firstMalformed(bytes('x', 0xE2, 0x82, '"'))).isEqualTo(1); // cut short before a quote
    }

    @Test
    @DisplayName("on a million random byte strings it agrees with the JDK's strict decoder")
    void agreesWithTheJdksStrictDecoder() {
        Random random = new Random(42);
        int[] interesting = {0x00, 0x22, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        for (int round = 0; round < 1_000_000; round++) {
            byte[] bytes = new byte[random.nextInt(7)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                        : random.nextInt(256));
            }
            assertThat(Utf8.firstMalformed(bytes)).as("%s", java.util.HexFormat.of().formatHex(bytes))
                    .isEqualTo(jdk(bytes));
        }
    }
}
