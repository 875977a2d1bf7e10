// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.meter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObisCodeTest {

    @ParameterizedTest
    @CsvSource({
            "1-0:1.8.0*255, 1-0:1.8.0*255",
            "1-0:1.8.0.255, 1-0:1.8.0*255",
            "0-0:96.3.10.255, 0-0:96.3.10*255",
            "1-0:1.8.0, 1-0:1.8.0*255",
            "1.8.0, 1-0:1.8.0*255",
            "1.8.1*01, 1-0:1.8.1*1",
            "32.7.0, 1-0:32.7.0*255",
            "C.1.0, 1-0:96.1.0*255",
            "F.F, 1-0:97.97.0*255",
            "0.9.2, 1-0:0.9.2*255"})
    void parsesFullAndReadoutForms(String text, String expected) {
        assertThat(ObisCode.parse(text)).hasToString(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "abc", "1.8.0.0.0.0.0", "1-0:1.8.256*255", "X.8.0"})
    void rejectsWhatIsNotAnObisCodeNamingTheText(String text) {
        assertThatThrownBy(() -> ObisCode.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @org.junit.jupiter.api.Test
    void logicalNameBytes() {
        assertThat(ObisCode.parse("0-0:19.40.0.255").toBytes()).containsExactly(0, 0, 19, 40, 0, (byte) 255);
    }
}
