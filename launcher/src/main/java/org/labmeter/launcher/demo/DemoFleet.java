package org.labmeter.launcher.demo;

import java.util.List;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.metering.registry.Facility;

/** The demo's managing unit and its five simulated instruments, one agent each. */
public final class DemoFleet {
  public static final Facility FACILITY =
      new Facility("demo-institute", "Demo Institute of Materials Science", "示范材料科学研究所");

  public static final List<DemoInstrument> INSTRUMENTS =
      List.of(
          new DemoInstrument(
              "ms-qtof-01",
              "Q-TOF mass spectrometer",
              "四极杆飞行时间质谱仪",
              "Q-TOF 6545",
              SimulatorKind.MASS_SPECTROMETER,
              11,
              "agent-ms-qtof-01"),
          new DemoInstrument(
              "nmr-600",
              "600 MHz NMR spectrometer",
              "600兆核磁共振波谱仪",
              "Avance NEO 600",
              SimulatorKind.NMR,
              12,
              "agent-nmr-600"),
          new DemoInstrument(
              "sem-fe-01",
              "Field-emission SEM",
              "场发射扫描电子显微镜",
              "FE-SEM 7800",
              SimulatorKind.ELECTRON_MICROSCOPE,
              13,
              "agent-sem-fe-01"),
          new DemoInstrument(
              "xrd-01",
              "X-ray diffractometer",
              "X射线衍射仪",
              "D8 Advance",
              SimulatorKind.X_RAY_DIFFRACTOMETER,
              14,
              "agent-xrd-01"),
          new DemoInstrument(
              "icpms-01",
              "ICP mass spectrometer",
              "电感耦合等离子体质谱仪",
              "ICP-MS 7900",
              SimulatorKind.ICP_MS,
              15,
              "agent-icpms-01"));

  private DemoFleet() {}
}
