// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Everything that makes one simulated DLMS meter: identity, keys, consumption model and prepayment settings.
 * Build with {@link #builder(String)}; unset keys are derived from the seed and serial, so a simulator started
 * with the same seed always has the same (test-only) keys.
 */
public final class DlmsMeterConfig {

    /** Public client: no authentication, reads public objects and the invocation counter. */
    public static final int PUBLIC_CLIENT_ID = 16;
    /** Management client: HLS5-GMAC with security suite 0, required for SET, ACTION and prepayment objects. */
    public static final int MANAGEMENT_CLIENT_ID = 1;
    /** The one logical device each simulated meter has (the management logical device). */
    public static final int LOGICAL_DEVICE_ID = 1;

    private final String serial;
    private final String manufacturer;
    private final byte[] masterKey;
    private final byte[] authenticationKey;
    private final byte[] encryptionKey;
    private final long seed;
    private final double averagePowerWatts;
    private final double solarPeakWatts;
    private final ZoneOffset zone;
    private final int historyDays;
    private final long tariffMinorPerKwh;
    private final String currency;
    private final int currencyScale;
    private final long initialCreditMinor;
    private final long lowCreditThresholdMinor;
    private final long emergencyCreditMinor;
    private final int controlMode;
    private final FriendlyCreditPolicy friendlyCredit;
    private final boolean acceptTestTokens;
    private final TokenVerifier tokenVerifier;
    private final boolean enforceInvocationCounter;
    private final Duration tokenProcessingDelay;

    private DlmsMeterConfig(Builder b) {
        this.serial = b.serial;
        this.manufacturer = b.manufacturer;
        this.seed = b.seed;
        this.masterKey = b.masterKey != null ? b.masterKey : deriveKey(b.seed, b.serial, "master");
        this.authenticationKey = b.authenticationKey != null ? b.authenticationKey
                : deriveKey(b.seed, b.serial, "authentication");
        this.encryptionKey = b.encryptionKey != null ? b.encryptionKey : deriveKey(b.seed, b.serial, "encryption");
        this.averagePowerWatts = b.averagePowerWatts;
        this.solarPeakWatts = b.solarPeakWatts;
        this.zone = b.zone;
        this.historyDays = b.historyDays;
        this.tariffMinorPerKwh = b.tariffMinorPerKwh;
        this.currency = b.currency;
        this.currencyScale = b.currencyScale;
        this.initialCreditMinor = b.initialCreditMinor;
        this.lowCreditThresholdMinor = b.lowCreditThresholdMinor;
        this.emergencyCreditMinor = b.emergencyCreditMinor;
        this.controlMode = b.controlMode;
        this.friendlyCredit = b.friendlyCredit;
        this.acceptTestTokens = b.acceptTestTokens;
        this.tokenVerifier = b.tokenVerifier;
        this.enforceInvocationCounter = b.enforceInvocationCounter;
        this.tokenProcessingDelay = b.tokenProcessingDelay;
    }

    public static Builder builder(String serial) {
        return new Builder(serial);
    }

    /** Derives a 16-byte simulator test key; never use such keys on real meters. */
    static byte[] deriveKey(long seed, String serial, String purpose) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(("metergate-simulator|" + seed + "|" + serial + "|" + purpose)
                    .getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    public String serial() {
        return serial;
    }

    public String manufacturer() {
        return manufacturer;
    }

    /** Device id as used in the system title: the serial as a number (fits 5 bytes). */
    public long deviceId() {
        return Long.parseLong(serial);
    }

    /** 8 bytes: 3-letter manufacturer id followed by the serial as a 5-byte big-endian number. */
    public byte[] systemTitle() {
        byte[] title = new byte[8];
        byte[] man = manufacturer.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(man, 0, title, 0, 3);
        long id = deviceId();
        for (int i = 0; i < 5; i++) {
            title[3 + i] = (byte) (id >> ((4 - i) * 8));
        }
        return title;
    }

    public String systemTitleHex() {
        return HexFormat.of().withUpperCase().formatHex(systemTitle());
    }

    public byte[] masterKey() {
        return masterKey.clone();
    }

    public byte[] authenticationKey() {
        return authenticationKey.clone();
    }

    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    public long seed() {
        return seed;
    }

    public double averagePowerWatts() {
        return averagePowerWatts;
    }

    public double solarPeakWatts() {
        return solarPeakWatts;
    }

    public ZoneOffset zone() {
        return zone;
    }

    public int historyDays() {
        return historyDays;
    }

    public long tariffMinorPerKwh() {
        return tariffMinorPerKwh;
    }

    public String currency() {
        return currency;
    }

    public int currencyScale() {
        return currencyScale;
    }

    public long initialCreditMinor() {
        return initialCreditMinor;
    }

    public long lowCreditThresholdMinor() {
        return lowCreditThresholdMinor;
    }

    public long emergencyCreditMinor() {
        return emergencyCreditMinor;
    }

    public int controlMode() {
        return controlMode;
    }

    public FriendlyCreditPolicy friendlyCredit() {
        return friendlyCredit;
    }

    public boolean acceptTestTokens() {
        return acceptTestTokens;
    }

    /** The verifier in force: the configured one, else the test format when enabled, else reject everything. */
    public TokenVerifier tokenVerifier() {
        if (tokenVerifier != null) {
            return tokenVerifier;
        }
        return acceptTestTokens ? new TestTokenFormat() : TokenVerifier.rejectAll();
    }

    public boolean enforceInvocationCounter() {
        return enforceInvocationCounter;
    }

    /** How long an entered token stays "received, not yet processed" before the meter acts on it. */
    public Duration tokenProcessingDelay() {
        return tokenProcessingDelay;
    }

    public SlotConsumptionModel consumptionModel() {
        return new SlotConsumptionModel(seed ^ deviceId(), averagePowerWatts, solarPeakWatts, zone);
    }

    public static final class Builder {
        private final String serial;
        private String manufacturer = "MGS";
        private byte[] masterKey;
        private byte[] authenticationKey;
        private byte[] encryptionKey;
        private long seed = 1;
        private double averagePowerWatts = 400;
        private double solarPeakWatts = 0;
        private ZoneOffset zone = ZoneOffset.UTC;
        private int historyDays = 92;
        private long tariffMinorPerKwh = 25;
        private String currency = "EUR";
        private int currencyScale = -2;
        private long initialCreditMinor = 2000;
        private long lowCreditThresholdMinor = 500;
        private long emergencyCreditMinor = 500;
        private int controlMode = 6;
        private FriendlyCreditPolicy friendlyCredit = FriendlyCreditPolicy.parse("18:00-08:00", "SAT,SUN");
        private boolean acceptTestTokens;
        private TokenVerifier tokenVerifier;
        private boolean enforceInvocationCounter = true;
        private Duration tokenProcessingDelay = Duration.ZERO;

        private Builder(String serial) {
            Objects.requireNonNull(serial, "serial");
            if (!serial.matches("[0-9]{1,12}") || Long.parseLong(serial) >= (1L << 40)) {
                throw new IllegalArgumentException("meter serial '" + serial
                        + "' must be decimal digits below 2^40 (it becomes 5 bytes of the system title)");
            }
            this.serial = serial;
        }

        public Builder manufacturer(String id) {
            if (id == null || !id.matches("[A-Z]{3}")) {
                throw new IllegalArgumentException("manufacturer id '" + id + "' must be 3 capital letters, e.g. MGS");
            }
            this.manufacturer = id;
            return this;
        }

        public Builder keys(byte[] master, byte[] authentication, byte[] encryption) {
            this.masterKey = checkKey(master, "master");
            this.authenticationKey = checkKey(authentication, "authentication");
            this.encryptionKey = checkKey(encryption, "encryption");
            return this;
        }

        private static byte[] checkKey(byte[] key, String name) {
            if (key == null || key.length != 16) {
                throw new IllegalArgumentException(name + " key must be 16 bytes (AES-128)");
            }
            return key.clone();
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder averagePowerWatts(double watts) {
            this.averagePowerWatts = watts;
            return this;
        }

        public Builder solarPeakWatts(double watts) {
            this.solarPeakWatts = watts;
            return this;
        }

        public Builder zone(ZoneOffset zone) {
            this.zone = Objects.requireNonNull(zone);
            return this;
        }

        public Builder historyDays(int days) {
            if (days < 1 || days > 3660) {
                throw new IllegalArgumentException("history days must be 1..3660, got " + days);
            }
            this.historyDays = days;
            return this;
        }

        public Builder tariffMinorPerKwh(long minorPerKwh) {
            if (minorPerKwh < 0) {
                throw new IllegalArgumentException("tariff must be >= 0 minor units per kWh");
            }
            this.tariffMinorPerKwh = minorPerKwh;
            return this;
        }

        public Builder currency(String name, int scale) {
            this.currency = Objects.requireNonNull(name);
            this.currencyScale = scale;
            return this;
        }

        public Builder initialCreditMinor(long minor) {
            this.initialCreditMinor = minor;
            return this;
        }

        public Builder lowCreditThresholdMinor(long minor) {
            this.lowCreditThresholdMinor = minor;
            return this;
        }

        public Builder emergencyCreditMinor(long minor) {
            if (minor < 0) {
                throw new IllegalArgumentException("emergency credit must be >= 0");
            }
            this.emergencyCreditMinor = minor;
            return this;
        }

        public Builder controlMode(int mode) {
            if (mode < 0 || mode > 6) {
                throw new IllegalArgumentException("disconnect control mode must be 0..6, got " + mode);
            }
            this.controlMode = mode;
            return this;
        }

        public Builder friendlyCredit(FriendlyCreditPolicy policy) {
            this.friendlyCredit = Objects.requireNonNull(policy);
            return this;
        }

        public Builder acceptTestTokens(boolean accept) {
            this.acceptTestTokens = accept;
            return this;
        }

        public Builder tokenVerifier(TokenVerifier verifier) {
            this.tokenVerifier = verifier;
            return this;
        }

        public Builder enforceInvocationCounter(boolean enforce) {
            this.enforceInvocationCounter = enforce;
            return this;
        }

        public Builder tokenProcessingDelay(Duration delay) {
            if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("token processing delay must be 0..10 min, got " + delay);
            }
            this.tokenProcessingDelay = delay;
            return this;
        }

        public DlmsMeterConfig build() {
            return new DlmsMeterConfig(this);
        }
    }
}
