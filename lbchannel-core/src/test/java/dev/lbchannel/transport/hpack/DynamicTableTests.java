package dev.lbchannel.transport.hpack;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dynamic table's order, sizes and evictions (RFC 7541 §4), through its ring's growth and wrap. */
class DynamicTableTests {

    @Test
    void newestIsFirstAndTheOldestLeavesToMakeRoom() {
        DynamicTable table = new DynamicTable(3 * 34);  // three entries of one-byte name and value
        for (int i = 0; i < 10; i++) {
            table.add(ascii("n"), ascii(Integer.toString(i)));
            assertThat(table.value(1).toString()).isEqualTo(Integer.toString(i));
        }
        assertThat(table.length()).isEqualTo(3);
        assertThat(table.size()).isEqualTo(3 * 34);
        assertThat(table.value(2).toString()).isEqualTo("8");
        assertThat(table.value(3).toString()).isEqualTo("7");
    }

    @Test
    void growsAsEntriesArriveAndKeepsTheirOrderThroughTheWrap() {
        DynamicTable table = new DynamicTable(4096);
        for (int i = 0; i < 100; i++) {
            table.add(ascii("name"), ascii("value-" + i));
            for (int index = 1; index <= table.length(); index++) {
                assertThat(table.value(index).toString()).isEqualTo("value-" + (i - index + 1));
            }
        }
        assertThat(table.size()).isLessThanOrEqualTo(4096);
        assertThat(table.length()).isEqualTo(4096 / (4 + 8 + 32));
    }

    @Test
    void aSmallerCapacityEvictsAndAnEntryLargerThanTheTableEmptiesIt() {
        DynamicTable table = new DynamicTable(4096);
        table.add(ascii("a"), ascii("1"));
        table.add(ascii("b"), ascii("2"));
        table.capacity(34);
        assertThat(table.length()).isEqualTo(1);
        assertThat(table.name(1).toString()).isEqualTo("b");
        table.capacity(100);
        table.add(ascii("c"), ascii("x".repeat(100)));
        assertThat(table.length()).isZero();
        assertThat(table.size()).isZero();
        table.add(ascii("d"), ascii("4"));
        assertThat(table.name(1).toString()).isEqualTo("d");
    }

    private static AsciiString ascii(String text) {
        return AsciiString.of(text);
    }
}
