package org.labmeter.metering.attribution;

/** Service way as the national platform's service records name it. */
public enum ServiceWay {
  /** 占用: the user operates the instrument. */
  USE("占用"),
  /** 技术: technical service by the facility's staff. */
  TECHNICAL("技术"),
  /** 委托: commissioned testing (the user sends samples). */
  COMMISSIONED("委托"),
  /** 远程: remote use. */
  REMOTE("远程"),
  /** 其他: other. */
  OTHER("其他");

  private final String label;

  ServiceWay(String label) {
    this.label = label;
  }

  /** The Chinese name used on the national platform's forms. */
  public String label() {
    return label;
  }
}
