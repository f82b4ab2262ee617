package org.labmeter.metering.attribution;

/** Service direction as the national platform's service records name it. */
public enum ServiceDirection {
  /** 科学研究. */
  RESEARCH("科学研究"),
  /** 科技开发. */
  DEVELOPMENT("科技开发"),
  /** 教学. */
  TEACHING("教学"),
  /** 其他. */
  OTHER("其他");

  private final String label;

  ServiceDirection(String label) {
    this.label = label;
  }

  /** The Chinese name used on the national platform's forms. */
  public String label() {
    return label;
  }
}
