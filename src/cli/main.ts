#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import { InvalidConfigurationError } from "../errors.js";
import { applyCommand } from "./commands/apply.js";
import { controlPlaneCommand } from "./commands/control-plane.js";
import { destroyCommand } from "./commands/destroy.js";
import { devCommand } from "./commands/dev.js";
import { installCommand } from "./commands/install.js";
import { installCrdsCommand } from "./commands/install-crds.js";
import { kubeconfigCommand } from "./commands/kubeconfig.js";
import { planCommand } from "./commands/plan.js";
import { planApproveCommand } from "./commands/plan-approve.js";
import { planListCommand } from "./commands/plan-list.js";
import { planShowCommand } from "./commands/plan-show.js";
import { runCommand } from "./commands/run.js";
import { statusCommand } from "./commands/status.js";
import { synthCommand } from "./commands/synth.js";
import { errorMessage } from "./errors.js";
import { ExitCode, UsageError } from "./exit.js";

const program = new Command("clusterform")
  .description("Cluster API resources converged with Terraform")
  .showHelpAfterError()
  .exitOverride();
for (const command of [
  synthCommand(),
  planCommand()
    .addCommand(planShowCommand().exitOverride())
    .addCommand(planApproveCommand().exitOverride())
    .addCommand(planListCommand().exitOverride()),
  applyCommand(),
  destroyCommand(),
  controlPlaneCommand(),
  installCommand(),
  installCrdsCommand(),
  runCommand(),
  devCommand(),
  statusCommand(),
  kubeconfigCommand(),
]) {
  program.addCommand(command.exitOverride());
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
  if (!(error instanceof CommanderError)) process.stderr.write(`clusterform: ${errorMessage(error)}\n`);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Invalid;
  if (error instanceof UsageError) return error.exitCode;
  if (error instanceof InvalidConfigurationError) return ExitCode.Invalid;
  return ExitCode.Failed;
}
