// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.api.cosem;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A COSEM data value (Blue Book "Data" CHOICE) without any protocol library's types. Date-times travel as
 * 12-byte octet strings; {@link CosemDateTime} converts them. Byte arrays are copied in and out.
 */
public sealed interface CosemData {

    /** null-data. */
    record NullData() implements CosemData {
        public static final NullData INSTANCE = new NullData();

        @Override
        public String toString() {
            return "null";
        }
    }

    record BooleanData(boolean value) implements CosemData {
        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** The COSEM integer types and their ranges. */
    enum IntegerType {
        INTEGER(-128, 127), LONG(-32768, 32767), DOUBLE_LONG(Integer.MIN_VALUE, Integer.MAX_VALUE),
        LONG64(Long.MIN_VALUE, Long.MAX_VALUE), UNSIGNED(0, 255), LONG_UNSIGNED(0, 65535),
        DOUBLE_LONG_UNSIGNED(0, 0xFFFF_FFFFL),
        /** Unsigned 64 bits carried in a long: values above {@code Long.MAX_VALUE} appear negative. */
        LONG64_UNSIGNED(Long.MIN_VALUE, Long.MAX_VALUE);

        private final long min;
        private final long max;

        IntegerType(long min, long max) {
            this.min = min;
            this.max = max;
        }

        boolean accepts(long value) {
            return value >= min && value <= max;
        }
    }

    /** Any COSEM integer, keeping its wire type so a SET sends what the meter expects. */
    record IntegerData(IntegerType type, long value) implements CosemData {
        public IntegerData {
            Objects.requireNonNull(type, "type");
            if (!type.accepts(value)) {
                throw new IllegalArgumentException(value + " does not fit COSEM type " + type);
            }
        }

        /** The value as a number; LONG64_UNSIGNED is read unsigned. */
        public BigInteger bigValue() {
            return type == IntegerType.LONG64_UNSIGNED && value < 0
                    ? BigInteger.valueOf(value).add(BigInteger.ONE.shiftLeft(64))
                    : BigInteger.valueOf(value);
        }

        @Override
        public String toString() {
            return bigValue() + " (" + type.name().toLowerCase().replace('_', '-') + ")";
        }
    }

    /** enum, 0..255. */
    record EnumData(int value) implements CosemData {
        public EnumData {
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("enum value " + value + " is outside 0..255");
            }
        }

        @Override
        public String toString() {
            return "enum " + value;
        }
    }

    /** float32 or float64. */
    record FloatData(boolean doublePrecision, double value) implements CosemData {
        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    record OctetString(byte[] value) implements CosemData {
        public OctetString {
            value = Objects.requireNonNull(value, "value").clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OctetString other && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "0x" + HexFormat.of().withUpperCase().formatHex(value);
        }
    }

    /** visible-string (ASCII); utf8-string values arrive here too. */
    record VisibleString(String value) implements CosemData {
        public VisibleString {
            Objects.requireNonNull(value, "value");
        }

        public byte[] bytes() {
            return value.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return '"' + value + '"';
        }
    }

    /** bit-string of {@code length} bits, the first bit being the most significant bit of the first byte. */
    record BitString(byte[] bytes, int length) implements CosemData {
        public BitString {
            bytes = Objects.requireNonNull(bytes, "bytes").clone();
            if (length < 0 || length > bytes.length * 8) {
                throw new IllegalArgumentException("bit-string of " + length + " bits does not fit " + bytes.length + " bytes");
            }
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** Bit {@code index}, 0 being the first bit on the wire (0x80 of the first byte). */
        public boolean bit(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException("bit " + index + " of " + length);
            }
            return (bytes[index / 8] & (0x80 >> (index % 8))) != 0;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BitString other && length == other.length && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(bytes) + length;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("bits ");
            for (int i = 0; i < length; i++) {
                s.append(bit(i) ? '1' : '0');
            }
            return s.toString();
        }
    }

    record Structure(List<CosemData> elements) implements CosemData {
        public Structure {
            elements = List.copyOf(elements);
        }

        public static Structure of(CosemData... elements) {
            return new Structure(List.of(elements));
        }

        public CosemData get(int index) {
            return elements.get(index);
        }

        @Override
        public String toString() {
            return "structure" + elements;
        }
    }

    record ArrayData(List<CosemData> elements) implements CosemData {
        public ArrayData {
            elements = List.copyOf(elements);
        }

        public static ArrayData of(CosemData... elements) {
            return new ArrayData(List.of(elements));
        }

        public CosemData get(int index) {
            return elements.get(index);
        }

        public int size() {
            return elements.size();
        }

        @Override
        public String toString() {
            return "array" + elements;
        }
    }

    // factories for the common cases

    static CosemData octetString(byte[] value) {
        return new OctetString(value);
    }

    static CosemData integer(IntegerType type, long value) {
        return new IntegerData(type, value);
    }

    /** The parameter of methods that take none on the wire but need a value (Blue Book: integer 0). */
    static CosemData noParameter() {
        return new IntegerData(IntegerType.INTEGER, 0);
    }

    /**
     * This value as a long when it is an integer or enum.
     *
     * @throws IllegalStateException naming the actual type otherwise
     */
    default long asLong() {
        if (this instanceof IntegerData i) {
            return i.value();
        }
        if (this instanceof EnumData e) {
            return e.value();
        }
        throw new IllegalStateException("expected an integer, got " + this);
    }
}
