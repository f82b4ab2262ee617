package org.labmeter.launcher;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.labmeter.metering.auth.ApiToken;
import org.labmeter.metering.auth.AuditEntry;
import org.labmeter.metering.auth.AuditLog;
import org.labmeter.metering.auth.IssuedToken;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenException;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.registry.RelationalStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = {
      "API tokens in the relational store. There is no default credential: create the first",
      "administrator token here, then use it (or the API) for the rest. Each change is written to",
      "the audit log as token 'cli'."
    },
    subcommands = {
      AdminCommand.CreateToken.class,
      AdminCommand.ListTokens.class,
      AdminCommand.RevokeToken.class
    })
final class AdminCommand implements Runnable {
  /** The token id the audit log shows for changes made on the command line. */
  static final String CLI_TOKEN_ID = "cli";

  @Mixin DbOptions db;

  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static void audit(RelationalStore store, String action, String target) {
    new AuditLog(store.dataSource())
        .append(
            new AuditEntry(0, Instant.now(), CLI_TOKEN_ID, Role.ADMIN, action, target, "ok", 0));
  }

  @Command(
      name = "create-token",
      mixinStandardHelpOptions = true,
      description = "Creates a token and prints it once; only a hash of its secret is stored.")
  static final class CreateToken implements Callable<Integer> {
    @ParentCommand AdminCommand parent;

    @Option(
        names = "--role",
        required = true,
        description = "admin, staff (needs --facility), evaluator or enrollment")
    String role;

    @Option(names = "--facility", description = "the managing unit of a staff token")
    String facility;

    @Option(names = "--label", required = true, description = "who or what holds the token")
    String label;

    @Override
    public Integer call() {
      Role r = Role.parse(role).orElse(null);
      if (r == null) {
        System.err.println("--role: must be admin, staff, evaluator or enrollment, got " + role);
        return 2;
      }
      IssuedToken t;
      try (RelationalStore store = parent.db.open()) {
        try {
          t = new TokenStore(store.dataSource()).create(r, facility, label);
        } catch (TokenException e) {
          System.err.println(
              "--"
                  + (e.field().equals("facilityId") ? "facility" : e.field())
                  + ": "
                  + e.getMessage());
          return 2;
        }
        audit(store, "token.create", "/api/v1/tokens/" + t.token().id());
      }
      System.out.printf(
          "token %s created (%s%s, \"%s\"); it is shown this once:%n%s%n",
          t.token().id(), r, facility == null ? "" : " of " + facility, label, t.bearer());
      return 0;
    }
  }

  @Command(
      name = "list-tokens",
      mixinStandardHelpOptions = true,
      description = "Lists tokens (ids, roles, labels; never secrets).")
  static final class ListTokens implements Callable<Integer> {
    @ParentCommand AdminCommand parent;

    @Override
    public Integer call() {
      try (RelationalStore store = parent.db.open()) {
        for (ApiToken t : new TokenStore(store.dataSource()).list()) {
          System.out.printf(
              "%-14s %-16s %-12s %-8s %s%n",
              t.id(),
              t.role(),
              t.facilityId() == null ? "-" : t.facilityId(),
              t.revoked() ? "revoked" : "active",
              t.label());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "revoke-token",
      mixinStandardHelpOptions = true,
      description = "Revokes a token at once.")
  static final class RevokeToken implements Callable<Integer> {
    @ParentCommand AdminCommand parent;

    @Option(names = "--id", required = true, description = "the token's id (from list-tokens)")
    String id;

    @Override
    public Integer call() {
      try (RelationalStore store = parent.db.open()) {
        if (new TokenStore(store.dataSource()).revoke(id).isEmpty()) {
          System.err.println("--id: no token with id " + id);
          return 2;
        }
        audit(store, "token.revoke", "/api/v1/tokens/" + id + "/revoke");
      }
      System.out.printf("token %s revoked%n", id);
      return 0;
    }
  }
}
