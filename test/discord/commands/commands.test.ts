import { InteractionContextType } from "discord.js";
import { describe, expect, it } from "vitest";
import { COMMAND_DEFINITIONS, COMMANDS, findCommand, READ_ONLY_COMMAND_DEFINITIONS } from "../../../src/discord/commands/index.ts";

// Each slash command is a module (definition, need, handlers); these are the promises the router,
// access.ts and registration rely on. End-to-end behaviour is in bot.test.ts and servers.test.ts.
describe("the command modules", () => {
  it("only /ingest, /forget and /feeds change the coverage, /check, /receipt, /gaps, /corrections and /web are staff's; every other command only reads", () => {
    const needs = Object.fromEntries(COMMANDS.map((c) => [c.definition.name, c.need]));
    expect(needs).toEqual({ ask: "read", source: "read", articles: "read", help: "read", ingest: "moderate", forget: "moderate", feeds: "moderate", receipt: "staff", gaps: "staff", corrections: "staff", check: "staff", web: "staff" });
    // A refusal names what was refused.
    for (const c of COMMANDS.filter((c) => c.need !== "read")) expect(c.action, c.definition.name).toMatch(/\w/);
  });

  it("offer a read-only server only the commands that read", () => {
    expect(READ_ONLY_COMMAND_DEFINITIONS.map((d) => d.name).sort()).toEqual(["articles", "ask", "help", "source"]);
  });

  it("are found by name, once each, and registered in servers only", () => {
    const names = COMMAND_DEFINITIONS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(findCommand(name)?.definition.name).toBe(name);
    expect(findCommand("no-such-command")).toBeUndefined();
    for (const d of COMMAND_DEFINITIONS) expect(d.contexts, d.name).toEqual([InteractionContextType.Guild]);
  });

  it("handle autocomplete wherever an option asks for it", () => {
    for (const c of COMMANDS) {
      const wants = (c.definition.options ?? []).some((o) => "autocomplete" in o && o.autocomplete === true);
      expect(Boolean(c.autocomplete), `/${c.definition.name} autocomplete handler`).toBe(wants);
    }
  });
});
