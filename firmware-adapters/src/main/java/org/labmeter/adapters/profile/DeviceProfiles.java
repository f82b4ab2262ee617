package org.labmeter.adapters.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.labmeter.adapters.RegisterDecoder;
import org.labmeter.adapters.RegisterType;
import org.labmeter.adapters.WordOrder;

/**
 * Device profiles in YAML: the built-in ones shipped as resources, and a site's own ones parsed
 * from text its configuration loader read. Every mistake in a file is reported at once with the
 * field path and the allowed values; overlapping registers are refused.
 */
public final class DeviceProfiles {
  /** Built-in profile names, each a resource {@code <name>.yaml} beside this class. */
  public static final List<String> BUILT_IN =
      List.of(
          "eastron-sdm120",
          "eastron-sdm630",
          "eastron-sdm630-mct",
          "carlo-gavazzi-em24",
          "schneider-iem3000",
          "digital-input");

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final List<String> TYPES =
      List.of("int16", "uint16", "int32", "uint32", "int64", "float32", "float64");
  private static final List<String> WORD_ORDERS = List.of("high-first", "low-first");

  private DeviceProfiles() {}

  /**
   * @throws IllegalArgumentException naming the allowed profiles when {@code name} is not built in
   */
  public static DeviceProfile builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      throw new IllegalArgumentException(
          "'" + name + "' is not a built-in profile; allowed: " + String.join(", ", BUILT_IN));
    }
    String resource = name + ".yaml";
    try (InputStream in = DeviceProfiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("built-in profile resource missing: " + resource);
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses a profile file's text.
   *
   * @param source the file name, used in every problem message
   * @throws ProfileFileException listing every problem found
   */
  public static DeviceProfile parse(String source, String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ProfileFileException(source, List.of("not valid YAML: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ProfileFileException(
          source, List.of("expected a mapping with name, description, registers, runFlag"));
    }
    List<String> problems = new ArrayList<>();
    allowOnly(root, "", problems, "name", "description", "registers", "runFlag");
    String name = text(root, "", "name", problems, true);
    String description =
        Optional.ofNullable(text(root, "", "description", problems, false)).orElse("");
    List<RegisterField> fields = new ArrayList<>();
    JsonNode regs = root.get("registers");
    if (regs != null && !regs.isNull()) {
      if (!regs.isArray()) {
        problems.add("registers: expected a list");
      } else {
        for (int i = 0; i < regs.size(); i++) {
          RegisterField f = field(regs.get(i), "registers[" + i + "]", problems);
          if (f != null) {
            fields.add(f);
          }
        }
      }
    }
    Optional<RunFlagInput> runFlag = Optional.empty();
    JsonNode flag = root.get("runFlag");
    if (flag != null && !flag.isNull()) {
      runFlag = Optional.ofNullable(runFlag(flag, problems));
    }
    if (problems.isEmpty() && name != null) {
      try {
        return new DeviceProfile(name, description, fields, runFlag);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    if (problems.isEmpty()) {
      problems.add("incomplete profile");
    }
    throw new ProfileFileException(source, problems);
  }

  private static RegisterField field(JsonNode node, String path, List<String> problems) {
    if (node == null || !node.isObject()) {
      problems.add(path + ": expected a mapping of fields");
      return null;
    }
    int before = problems.size();
    allowOnly(
        node,
        path,
        problems,
        "quantity",
        "address",
        "addressBase",
        "functionCode",
        "type",
        "wordOrder",
        "scale",
        "offset",
        "unit");
    String qName = text(node, path, "quantity", problems, true);
    Quantity quantity = null;
    if (qName != null) {
      quantity = Quantity.fromConfigName(qName).orElse(null);
      if (quantity == null) {
        problems.add(
            path
                + ".quantity: '"
                + qName
                + "' is not a quantity; allowed: "
                + String.join(", ", Quantity.configNames()));
      }
    }
    Long address = integer(node, path, "address", problems, true);
    Long base = integer(node, path, "addressBase", problems, true);
    if (base != null && base != 0 && base != 1) {
      problems.add(path + ".addressBase: " + base + " is not allowed; allowed: 0, 1");
    }
    Long fc = integer(node, path, "functionCode", problems, true);
    if (fc != null && fc != 3 && fc != 4) {
      problems.add(
          path
              + ".functionCode: "
              + fc
              + " is not a register read; allowed: 3 (holding), 4 (input)");
    }
    RegisterType type = null;
    String typeName = text(node, path, "type", problems, true);
    if (typeName != null) {
      if (TYPES.contains(typeName)) {
        type = RegisterType.valueOf(typeName.toUpperCase());
      } else {
        problems.add(
            path + ".type: '" + typeName + "' is not a type; allowed: " + String.join(", ", TYPES));
      }
    }
    WordOrder order = WordOrder.HIGH_FIRST;
    String orderName = text(node, path, "wordOrder", problems, type != null && type.words() > 1);
    if (orderName != null) {
      if (WORD_ORDERS.contains(orderName)) {
        order = orderName.equals("high-first") ? WordOrder.HIGH_FIRST : WordOrder.LOW_FIRST;
      } else {
        problems.add(
            path
                + ".wordOrder: '"
                + orderName
                + "' is not a word order; allowed: "
                + String.join(", ", WORD_ORDERS));
      }
    }
    double scale = number(node, path, "scale", 1.0, problems);
    double offset = number(node, path, "offset", 0.0, problems);
    String unit = text(node, path, "unit", problems, true);
    if (quantity != null && unit != null && !unit.equals(quantity.unit())) {
      problems.add(
          path
              + ".unit: '"
              + unit
              + "' does not fit "
              + quantity.configName()
              + "; allowed: '"
              + quantity.unit()
              + "' (use scale to convert, e.g. 0.001 from Wh to kWh)");
    }
    if (problems.size() > before || quantity == null || type == null) {
      return null;
    }
    try {
      RegisterDecoder decoder =
          new RegisterDecoder(quantity.configName(), unit, type, order, scale, offset);
      return new RegisterField(
          quantity,
          (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, address)),
          base.intValue(),
          ModbusTable.ofFunctionCode(fc.intValue()).orElseThrow(),
          decoder);
    } catch (IllegalArgumentException e) {
      problems.add(path + ": " + e.getMessage());
      return null;
    }
  }

  private static RunFlagInput runFlag(JsonNode node, List<String> problems) {
    String path = "runFlag";
    if (!node.isObject()) {
      problems.add(path + ": expected a mapping of fields");
      return null;
    }
    int before = problems.size();
    allowOnly(node, path, problems, "functionCode", "address", "addressBase", "activeHigh");
    Long fc = integer(node, path, "functionCode", problems, true);
    if (fc != null && fc != 1 && fc != 2) {
      problems.add(
          path
              + ".functionCode: "
              + fc
              + " is not a bit read; allowed: 1 (coil), 2 (discrete input)");
    }
    Long address = integer(node, path, "address", problems, true);
    Long base = integer(node, path, "addressBase", problems, true);
    if (base != null && base != 0 && base != 1) {
      problems.add(path + ".addressBase: " + base + " is not allowed; allowed: 0, 1");
    }
    boolean activeHigh = true;
    JsonNode ah = node.get("activeHigh");
    if (ah != null && !ah.isNull()) {
      if (ah.isBoolean()) {
        activeHigh = ah.asBoolean();
      } else {
        problems.add(
            path + ".activeHigh: '" + ah.asText() + "' is not allowed; allowed: true, false");
      }
    }
    if (problems.size() > before) {
      return null;
    }
    try {
      return new RunFlagInput(
          ModbusTable.ofFunctionCode(fc.intValue()).orElseThrow(),
          (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, address)),
          base.intValue(),
          activeHigh);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return null;
    }
  }

  private static void allowOnly(
      JsonNode node, String path, List<String> problems, String... allowed) {
    Set<String> known = Set.of(allowed);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        problems.add(prefix(path) + n + ": unknown field; allowed: " + String.join(", ", allowed));
      }
    }
  }

  private static String text(
      JsonNode node, String path, String key, List<String> problems, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(prefix(path) + key + ": missing; required");
      }
      return null;
    }
    if (!v.isValueNode()) {
      problems.add(prefix(path) + key + ": expected a text value");
      return null;
    }
    return v.asText();
  }

  private static Long integer(
      JsonNode node, String path, String key, List<String> problems, boolean required) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        problems.add(prefix(path) + key + ": missing; required");
      }
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    problems.add(prefix(path) + key + ": expected a whole number, got '" + v.asText() + "'");
    return null;
  }

  private static double number(
      JsonNode node, String path, String key, double dflt, List<String> problems) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isNumber() && Double.isFinite(v.asDouble())) {
      return v.asDouble();
    }
    problems.add(prefix(path) + key + ": expected a finite number, got '" + v.asText() + "'");
    return dflt;
  }

  private static String prefix(String path) {
    return path.isEmpty() ? "" : path + ".";
  }
}
