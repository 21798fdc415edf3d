package com.flashsale.coupon.adapter.kafka.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.flashsale.coupon.domain.CouponName;
import com.flashsale.coupon.domain.UserId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HolderFilterTest {

    private static List<UserId> users(String prefix, int count) {
        List<UserId> users = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            users.add(new UserId(prefix + i));
        }
        return users;
    }

    @Test
    @DisplayName("a filter of 100,000 holders holds every one of them, lets about 0.1% of others through, and takes 180 KB")
    void holdsEveryHolder_andAboutAThousandthOfOthers() {
        List<UserId> holders = users("user-", 100_000);
        HolderFilter filter = HolderFilter.of(holders);

        assertThat(holders).allMatch(filter::mightHold);
        long falsePositives = users("late-", 100_000).stream().filter(filter::mightHold).count();
        assertThat(falsePositives).isBetween(40L, 200L);
        assertThat(filter.sizeInBytes()).isBetween(175_000L, 185_000L);
    }

    @Test
    @DisplayName("a filter of a few holders is still one word, and nearly exact")
    void aSmallFilter_isOneWord() {
        HolderFilter filter = HolderFilter.of(users("holder-", 2));
        assertThat(filter.sizeInBytes()).isEqualTo(8);
        assertThat(users("holder-", 2)).allMatch(filter::mightHold);
        assertThat(users("other-", 1_000).stream().filter(filter::mightHold).count()).isLessThan(10);
    }

    @Test
    @DisplayName("the sold-out message carries the filter bit for bit, as every instance must read it")
    void theSoldOutMessage_carriesTheFilterExactly() {
        HolderFilter filter = HolderFilter.of(users("user-", 5_000));
        Messages.SoldOut sent = Messages.SoldOut.from(new CouponName("FLASH"), 5_000, filter);

        Messages.SoldOut read = Wire.read(Wire.write(sent), Messages.SoldOut.class);

        assertThat(read.coupon()).isEqualTo(new CouponName("FLASH"));
        assertThat(read.holders()).isEqualTo(5_000);
        assertThat(read.filter()).isEqualTo(filter);
    }

    @Test
    @DisplayName("a sold-out message with broken bits is malformed, not a filter that holds nobody")
    void brokenBits_areMalformed() {
        String sevenBytes = Base64.getEncoder().encodeToString(new byte[7]);
        Messages.SoldOut broken = new Messages.SoldOut(Wire.VERSION, "FLASH", 1, 3, sevenBytes);
        assertThatThrownBy(broken::filter).isInstanceOf(Wire.MalformedMessageException.class);
        Messages.SoldOut noHashes = new Messages.SoldOut(Wire.VERSION, "FLASH", 1, 0,
                Base64.getEncoder().encodeToString(new byte[8]));
        assertThatThrownBy(noHashes::filter).isInstanceOf(Wire.MalformedMessageException.class);
    }
}
