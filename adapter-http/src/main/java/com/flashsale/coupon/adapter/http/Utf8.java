package com.flashsale.coupon.adapter.http;

/**
 * Strict UTF-8, checked on the bytes (Unicode's table of well-formed byte sequences): no
 * overlong form, no encoded surrogate, nothing above U+10FFFF, nothing cut short. The same bytes
 * that the JDK's decoder refuses when told to report errors, without a decoder per request.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The index where the first ill-formed sequence starts, or -1 when all of {@code bytes} is well formed. */
    static int firstMalformed(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int length;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                if (lead == 0xE0) {
                    min2 = 0xA0; // below: overlong
                } else if (lead == 0xED) {
                    max2 = 0x9F; // above: a surrogate
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                if (lead == 0xF0) {
                    min2 = 0x90; // below: overlong
                } else if (lead == 0xF4) {
                    max2 = 0x8F; // above: past U+10FFFF
                }
            } else {
                return i; // a continuation byte, C0, C1 or F5..FF cannot start a character
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min2 || second > max2) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
