// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.dlms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.metergate.dlms.internal.TestConfigs.config;

import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.metergate.api.cosem.CosemAttribute;
import org.metergate.api.link.LinkAddress;
import org.metergate.api.meter.MeterException;
import org.metergate.api.meter.MeterException.Reason;
import org.metergate.api.meter.ObisCode;

class DlmsSettingsTest {

    @Test
    void defaultsAreAManagementClientWithHls5OverTheWrapper() throws Exception {
        DlmsSettings s = DlmsSettings.from(config());
        assertThat(s.meterId()).isEqualTo("m1");
        assertThat(s.link()).isEqualTo(LinkAddress.tcp("127.0.0.1", 4059));
        assertThat(s.hdlc()).isFalse();
        assertThat(s.clientId()).isEqualTo(1);
        assertThat(s.logicalDevice()).isEqualTo(1);
        assertThat(s.secured()).isTrue();
        assertThat(s.responseTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.invocationCounterObis()).isEqualTo(ObisCode.parse("0-0:43.1.0.255"));
        assertThat(s.expectedSystemTitle()).isNull();
        assertThat(s.registers()).hasSize(8).contains(ObisCode.parse("1-0:1.8.0.255"), ObisCode.parse("1-0:14.7.0.255"));
    }

    @Test
    void serialLinksAndHdlcFramingUseHdlc() throws Exception {
        assertThat(DlmsSettings.from(config("link", "/dev/ttyUSB0")).hdlc()).isTrue();
        assertThat(DlmsSettings.from(config("tcpFraming", "hdlc")).hdlc()).isTrue();
        assertThat(DlmsSettings.from(config("tcpFraming", "WRAPPER")).hdlc()).isFalse();
    }

    @Test
    void duplicateRegistersAreReadOnce() throws Exception {
        DlmsSettings s = DlmsSettings.from(config("registers", new String[] {"1-0:1.8.0.255", "1-0:1.8.0*255", " "}));
        assertThat(s.registers()).containsExactly(ObisCode.parse("1-0:1.8.0.255"));
    }

    @Test
    void everyProblemIsListedAtOnce() {
        assertThatThrownBy(() -> DlmsSettings.from(config("meterId", "m 1", "link", "", "tcpFraming", "X",
                "clientId", 0, "authentication", "HLS7", "securitySuite", 1, "clientSystemTitle", "ABC",
                "expectedSystemTitle", "zz", "responseTimeoutMs", 10, "logicalDevice", -1, "retries", 11,
                "registers", new String[] {"nonsense"}, "invocationCounterObis", "x.y")))
                .isInstanceOf(DlmsSettings.InvalidSettingsException.class)
                .hasMessageContainingAll("meterId 'm 1'", "link address is empty", "tcpFraming 'X'", "clientId 0",
                        "authentication 'HLS7'", "securitySuite 1", "clientSystemTitle 'ABC'",
                        "expectedSystemTitle 'zz'", "responseTimeoutMs 10", "logicalDevice -1", "retries",
                        "'nonsense' is not an OBIS code", "invocationCounterObis");
    }

    @Test
    void otherValuesNeedClassObisAndAttribute() throws Exception {
        DlmsSettings s = DlmsSettings.from(config("values", new String[] {"111/0-0:19.0.0.255/5/-2/EUR",
            " 70/0-0:96.3.10.255/2 ", ""}));
        assertThat(s.values()).containsExactly(
                new ValueAttribute(CosemAttribute.of(111, "0-0:19.0.0.255", 5), -2, "EUR"),
                new ValueAttribute(CosemAttribute.of(70, "0-0:96.3.10.255", 2), 0, ""));
        // a conf/ file gives the list as one comma-separated string
        assertThat(DlmsSettings.from(config("values", new String[] {"111/0-0:19.0.0.255/5/-2/EUR, 70/0-0:96.3.10.255/2",
            }, "registers", new String[] {"1-0:1.8.0.255,1-0:2.8.0.255"})).values()).isEqualTo(s.values());
        assertThat(DlmsSettings.from(config("registers", new String[] {"1-0:1.8.0.255, 1-0:2.8.0.255"})).registers())
                .hasSize(2);
        assertThatThrownBy(() -> DlmsSettings.from(config("values", new String[] {"0-0:19.0.0.255", "111/x/5",
            "111/0-0:19.0.0.255/0"})))
                .isInstanceOf(DlmsSettings.InvalidSettingsException.class)
                .hasMessageContainingAll("'0-0:19.0.0.255' is not class/obis/attribute", "'111/x/5'",
                        "'111/0-0:19.0.0.255/0'", "attribute 1..127");
    }

    @Test
    void hdlcInformationFieldIsWithinWhatHdlcAllows() throws Exception {
        assertThat(DlmsSettings.from(config()).hdlcMaxInformationLength()).isEqualTo(2030);
        assertThat(DlmsSettings.from(config("hdlcMaxInformationLength", 128)).hdlcMaxInformationLength()).isEqualTo(128);
        assertThatThrownBy(() -> DlmsSettings.from(config("hdlcMaxInformationLength", 64)))
                .hasMessageContaining("hdlcMaxInformationLength 64 must be 128..2030");
    }

    @Test
    void emptyRegisterListIsRefused() {
        assertThatThrownBy(() -> DlmsSettings.from(config("registers", new String[0])))
                .hasMessageContaining("registers is empty");
    }

    @Test
    void aMisconfiguredMeterStaysVisibleAndSaysWhy() {
        DlmsMeter meter = new DlmsMeter(Clock.systemUTC(), Path.of("unused"), null);
        meter.configure(config("meterId", "kitchen", "clientId", 300), "pid-1");
        assertThat(meter.id()).isEqualTo("kitchen");
        assertThat(meter.protocol()).isEqualTo("dlms");
        assertThat(meter.link()).isNull();
        assertThat(meter.pollPolicy()).isNotNull();
        assertThatThrownBy(meter::open).isInstanceOfSatisfying(MeterException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
            assertThat(e.getMessage()).contains("meter kitchen is misconfigured", "clientId 300");
        });

        meter.configure(config("meterId", "bad id!", "clientId", 300), "pid-1");
        assertThat(meter.id()).isEqualTo("pid-1");
    }
}
