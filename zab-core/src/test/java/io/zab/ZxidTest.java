package io.zab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZxidTest {

  @Test
  void splitsEpochAndCounter() {
    Zxid z = Zxid.of(3, 17);
    assertThat(z.epoch()).isEqualTo(3);
    assertThat(z.counter()).isEqualTo(17);
    assertThat(z.value()).isEqualTo((3L << 32) | 17);
  }

  @Test
  void ordersByEpochThenCounterIncludingTheSignBit() {
    assertThat(Zxid.of(1, 0xFFFF_FFFFL)).isLessThan(Zxid.of(2, 0));
    assertThat(Zxid.of(2, 1)).isGreaterThan(Zxid.of(2, 0));
    // epochs >= 2^31 set the sign bit of the raw value; ordering must stay unsigned
    assertThat(Zxid.of(0x8000_0000L, 0)).isGreaterThan(Zxid.of(0x7FFF_FFFFL, 5));
    assertThat(Zxid.ZERO).isLessThan(Zxid.of(0, 1));
  }

  @Test
  void printsAndParsesReadableHex() {
    Zxid z = Zxid.of(0x3, 0x11);
    assertThat(z).hasToString("0x3:0x11");
    assertThat(Zxid.parse("0x3:0x11")).isEqualTo(z);
    assertThat(Zxid.parse("0x300000011")).isEqualTo(z);
    assertThatThrownBy(() -> Zxid.parse("3-11")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3-11");
  }

  @Test
  void nextRefusesToOverflowIntoTheNextEpoch() {
    Zxid last = Zxid.of(5, Zxid.MAX_COUNTER);
    assertThat(last.counterExhausted()).isTrue();
    assertThatThrownBy(last::next).isInstanceOf(IllegalStateException.class).hasMessageContaining("epoch 5");
    assertThat(Zxid.of(5, 1).next()).isEqualTo(Zxid.of(5, 2));
  }

  @Test
  void rejectsOutOfRangeParts() {
    assertThatThrownBy(() -> Zxid.of(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Zxid.of(1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Zxid.of(0, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
  }
}
