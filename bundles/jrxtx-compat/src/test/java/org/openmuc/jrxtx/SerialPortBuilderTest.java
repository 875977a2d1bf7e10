// SPDX-License-Identifier: GPL-3.0-or-later
package org.openmuc.jrxtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SerialPortBuilderTest {

    @Test
    void unknownDeviceIsPortNotFound() {
        assertThatThrownBy(() -> SerialPortBuilder.newBuilder("/dev/ttyUSB97").setBaudRate(300).build())
                .isInstanceOf(PortNotFoundException.class).isInstanceOf(SerialPortException.class)
                .hasMessageStartingWith("serial port /dev/ttyUSB97 does not exist (present: ");
    }

    @Test
    void emptyNameIsPortNotFound() {
        assertThatThrownBy(() -> SerialPortBuilder.newBuilder(" ").build()).isInstanceOf(PortNotFoundException.class);
    }

    @Test
    void unsupportedFlowControlIsRejectedBeforeOpening() {
        assertThatThrownBy(() -> SerialPortBuilder.newBuilder("/dev/ttyUSB97")
                .setFlowControl(FlowControl.XON_XOFF).build()).isInstanceOf(SerialPortException.class)
                .isNotInstanceOf(PortNotFoundException.class).hasMessageContaining("XON_XOFF");
    }

    @Test
    void portNamesAreDevicePaths() {
        assertThat(SerialPortBuilder.getSerialPortNames()).allSatisfy(name -> assertThat(name).isNotBlank());
    }

    @Test
    void exceptionTypesMatchTheOriginalApi() {
        assertThat(new SerialPortTimeoutException()).isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(new PortNotFoundException("x")).isInstanceOf(SerialPortException.class);
        assertThat(new SerialPortException("x")).isInstanceOf(java.io.IOException.class);
    }
}
