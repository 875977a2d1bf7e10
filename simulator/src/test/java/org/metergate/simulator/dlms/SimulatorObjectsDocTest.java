// SPDX-License-Identifier: GPL-3.0-or-later
package org.metergate.simulator.dlms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openmuc.jdlms.AccessResultCode;
import org.openmuc.jdlms.AttributeAddress;
import org.openmuc.jdlms.DlmsConnection;
import org.openmuc.jdlms.GetResult;
import org.openmuc.jdlms.SelectiveAccessDescription;
import org.openmuc.jdlms.datatypes.DataObject;

/**
 * The COSEM object table in docs/simulator.md is the meter's real object list: same objects, classes, versions,
 * attributes and methods as the association object list (0-0:40.0.0.255 attribute 2) of a running meter, and the
 * access column says what the public client can really read and what is writable.
 */
@Timeout(60)
class SimulatorObjectsDocTest {
    private static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolve("../docs/simulator.md")
            .normalize();
    private static final int READ_AND_WRITE = 3;

    /** One object as documented or as listed by the meter; attribute id to access text or access mode. */
    record CosemObject(int classId, int version, Map<Integer, String> attributes, TreeSet<Integer> methods,
            Map<Integer, String> types, Map<Integer, String> meanings) {
        CosemObject(int classId, int version, Map<Integer, String> attributes, TreeSet<Integer> methods) {
            this(classId, version, attributes, methods, new TreeMap<>(), new TreeMap<>());
        }
    }

    @TempDir
    Path stateDir;

    @Test
    void the_documented_objects_are_exactly_those_the_meter_lists() throws Exception {
        Map<String, CosemObject> documented = documentedObjects();
        try (DlmsSimulator simulator = DlmsSimulator.builder().count(1).seed(7).stateDir(stateDir)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T10:07:00Z"))).start();
                DlmsConnection connection = DlmsClients.publicClient(simulator.meters().get(0).wrapperPort())) {
            Map<String, CosemObject> listed = objectList(connection);

            assertThat(documented.keySet()).as("OBIS codes in docs/simulator.md vs the meter's object list")
                    .containsExactlyInAnyOrderElementsOf(listed.keySet());
            for (Map.Entry<String, CosemObject> entry : listed.entrySet()) {
                String obis = entry.getKey();
                CosemObject meter = entry.getValue();
                CosemObject doc = documented.get(obis);
                assertThat(doc.classId()).as("class of %s", obis).isEqualTo(meter.classId());
                assertThat(doc.version()).as("version of %s", obis).isEqualTo(meter.version());
                assertThat(new TreeSet<>(doc.attributes().keySet())).as("attributes of %s (without 1)", obis)
                        .isEqualTo(new TreeSet<>(meter.attributes().keySet()));
                assertThat(doc.methods()).as("methods of %s", obis).isEqualTo(meter.methods());
                for (int attribute : meter.attributes().keySet()) {
                    boolean writable = Integer.parseInt(meter.attributes().get(attribute)) == READ_AND_WRITE;
                    assertThat(doc.attributes().get(attribute).contains("set")).as("'set' for %s attribute %d", obis,
                            attribute).isEqualTo(writable);
                }
            }
        }
    }

    @Test
    void the_public_client_reads_exactly_the_attributes_documented_as_pub() throws Exception {
        Map<String, CosemObject> documented = documentedObjects();
        try (DlmsSimulator simulator = DlmsSimulator.builder().count(1).seed(7).stateDir(stateDir)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T10:07:00Z"))).start();
                DlmsConnection connection = DlmsClients.publicClient(simulator.meters().get(0).wrapperPort())) {
            for (Map.Entry<String, CosemObject> entry : documented.entrySet()) {
                CosemObject doc = entry.getValue();
                for (Map.Entry<Integer, String> attribute : doc.attributes().entrySet()) {
                    AccessResultCode result = connection.get(address(doc.classId(), entry.getKey(),
                            attribute.getKey())).getResultCode();
                    boolean pub = attribute.getValue().contains("pub");
                    assertThat(result).as("public GET of %s attribute %d (documented '%s')", entry.getKey(),
                            attribute.getKey(), attribute.getValue())
                            .isEqualTo(pub ? AccessResultCode.SUCCESS : AccessResultCode.READ_WRITE_DENIED);
                }
            }
        }
    }

    @Test
    void every_attribute_has_the_documented_type() throws Exception {
        Map<String, CosemObject> documented = documentedObjects();
        try (DlmsSimulator simulator = DlmsSimulator.builder().count(1).seed(7).stateDir(stateDir)
                .clock(SimClock.frozenAt(Instant.parse("2026-03-02T10:07:00Z"))).start();
                DlmsConnection connection = DlmsClients.managementClient(simulator.meters().get(0))) {
            for (Map.Entry<String, CosemObject> entry : documented.entrySet()) {
                CosemObject doc = entry.getValue();
                for (int attribute : doc.attributes().keySet()) {
                    GetResult result = connection.get(address(doc.classId(), entry.getKey(), attribute));
                    assertThat(result.getResultCode()).as("management GET of %s attribute %d", entry.getKey(),
                            attribute).isEqualTo(AccessResultCode.SUCCESS);
                    DataObject.Type actual = result.getResultData().getType();
                    String documentedType = doc.types().get(attribute);
                    if (actual == DataObject.Type.NULL_DATA) {
                        assertThat(doc.meanings().get(attribute)).as("%s attribute %d answers null-data",
                                entry.getKey(), attribute).contains("null-data");
                    } else {
                        assertThat(wireType(documentedType)).as("type of %s attribute %d (documented '%s')",
                                entry.getKey(), attribute, documentedType).isEqualTo(actual);
                    }
                }
            }
        }
    }

    /** The data type a documented type names: its first word, e.g. "octet-string (date-time)" is OCTET_STRING. */
    private static DataObject.Type wireType(String documented) {
        String word = documented.split("[ (]")[0];
        switch (word) {
        case "enum":
            return DataObject.Type.ENUMERATE;
        case "long":
            return DataObject.Type.LONG_INTEGER;
        default:
            return DataObject.Type.valueOf(word.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    /** A profile buffer is read for its first entry only; everything else whole. */
    private static AttributeAddress address(int classId, String obis, int attribute) {
        if (classId == 7 && attribute == 2) {
            DataObject firstEntry = DataObject.newStructureData(DataObject.newUInteger32Data(1),
                    DataObject.newUInteger32Data(1), DataObject.newUInteger16Data(1), DataObject.newUInteger16Data(0));
            return new AttributeAddress(classId, Obis.code(obis), attribute,
                    new SelectiveAccessDescription(2, firstEntry));
        }
        return new AttributeAddress(classId, Obis.code(obis), attribute);
    }

    private static Map<String, CosemObject> objectList(DlmsConnection connection) throws Exception {
        GetResult result = connection.get(new AttributeAddress(15, Obis.code("0-0:40.0.0.255"), 2));
        assertThat(result.getResultCode()).isEqualTo(AccessResultCode.SUCCESS);
        Map<String, CosemObject> objects = new TreeMap<>();
        List<DataObject> elements = result.getResultData().getValue();
        for (DataObject element : elements) {
            List<DataObject> fields = element.getValue();
            byte[] name = fields.get(2).getValue();
            List<DataObject> rights = fields.get(3).getValue();
            Map<Integer, String> attributes = new TreeMap<>();
            for (DataObject a : rights.get(0).<List<DataObject>>getValue()) {
                List<DataObject> item = a.getValue();
                int id = ((Number) item.get(0).getValue()).intValue();
                if (id != 1) {
                    attributes.put(id, String.valueOf(((Number) item.get(1).getValue()).intValue()));
                }
            }
            TreeSet<Integer> methods = new TreeSet<>();
            for (DataObject m : rights.get(1).<List<DataObject>>getValue()) {
                methods.add(((Number) m.<List<DataObject>>getValue().get(0).getValue()).intValue());
            }
            String obis = obis(name);
            assertThat(objects.put(obis, new CosemObject(((Number) fields.get(0).getValue()).intValue(),
                    ((Number) fields.get(1).getValue()).intValue(), attributes, methods))).isNull();
        }
        return objects;
    }

    private static String obis(byte[] b) {
        return String.format("%d-%d:%d.%d.%d.%d", b[0] & 0xFF, b[1] & 0xFF, b[2] & 0xFF, b[3] & 0xFF, b[4] & 0xFF,
                b[5] & 0xFF);
    }

    /**
     * The rows of the table under "### COSEM objects": | object | IC (version) | OBIS | # | name | type | access |
     * meaning |, where a row with empty object, IC and OBIS continues the object above.
     */
    static Map<String, CosemObject> documentedObjects() throws Exception {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf("### COSEM objects");
        assertThat(start).as("section '### COSEM objects' in %s", DOC).isNotNegative();
        Map<String, CosemObject> objects = new LinkedHashMap<>();
        CosemObject current = null;
        String currentObis = null;
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            List<String> cells = cells(line);
            if (!inTable) {
                assertThat(cells).as("table header").containsExactly("object", "IC (version)", "OBIS", "#", "name",
                        "type", "access", "meaning");
                inTable = true;
                continue;
            }
            if (cells.get(0).startsWith("---")) {
                continue;
            }
            assertThat(cells).as("row %s", line).hasSize(8);
            if (!cells.get(2).isEmpty()) {
                String[] ic = cells.get(1).replace(")", "").split(" \\(");
                currentObis = cells.get(2);
                current = new CosemObject(Integer.parseInt(ic[0]), Integer.parseInt(ic[1]), new TreeMap<>(),
                        new TreeSet<>());
                assertThat(objects.put(currentObis, current)).as("%s documented twice", currentObis).isNull();
            }
            assertThat(current).as("first row names an object: %s", line).isNotNull();
            String id = cells.get(3);
            if (id.startsWith("m")) {
                assertThat(current.methods().add(Integer.parseInt(id.substring(1)))).as("method %s of %s twice", id,
                        currentObis).isTrue();
            } else {
                assertThat(current.attributes().put(Integer.parseInt(id), cells.get(6)))
                        .as("attribute %s of %s twice", id, currentObis).isNull();
                current.types().put(Integer.parseInt(id), cells.get(5));
                current.meanings().put(Integer.parseInt(id), cells.get(7));
            }
        }
        assertThat(objects).as("COSEM object table in %s", DOC).isNotEmpty();
        return objects;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }
}
