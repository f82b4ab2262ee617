package org.labmeter.launcher;

import org.labmeter.metering.registry.RelationalStore;
import picocli.CommandLine.Option;

/** Where the relational store is; the password comes from an environment variable, never argv. */
final class DbOptions {
  @Option(
      names = "--db",
      required = true,
      description = "JDBC URL, e.g. jdbc:postgresql://db/labmeter or jdbc:h2:file:./data/registry")
  String url;

  @Option(names = "--db-user", defaultValue = "sa", description = "(default: ${DEFAULT-VALUE})")
  String user;

  @Option(
      names = "--db-password-env",
      description = "name of the environment variable that holds the password")
  String passwordEnv;

  String password() {
    if (passwordEnv == null) {
      return "";
    }
    String password = System.getenv(passwordEnv);
    if (password == null) {
      throw new IllegalArgumentException(
          "--db-password-env: the environment variable " + passwordEnv + " is not set");
    }
    return password;
  }

  RelationalStore open() {
    return RelationalStore.open(url, user, password());
  }
}
