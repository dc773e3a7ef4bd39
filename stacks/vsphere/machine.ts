import { VirtualMachine } from "@cdktf/provider-vsphere/lib/virtual-machine/index.js";
import { Fn, type TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import type { VsphereMachineProviderSpec } from "../../src/api/provider-vsphere.js";
import type { MachineModel, VsphereClusterModel } from "../../src/model/types.js";
import type { SynthContext } from "../context.js";
import { named, objectRef } from "../elements.js";
import { machineLogicalId } from "../names.js";
import { guestCustomization } from "./customize.js";
import { guestHostName, guestinfoExtraConfig } from "./guestinfo.js";
import type { VsphereInventory } from "./inventory.js";

const SPEC_PATH = "spec.providerSpec.value";
export const DEFAULT_NUM_CPUS = 2;
export const DEFAULT_MEMORY_MIB = 2048;

/**
 * One Machine: a vsphere_virtual_machine cloned from the spec's template,
 * with the template's guest id, SCSI type, firmware and adapter type; disk
 * size from diskGiB or the template's first disk.
 */
export class VsphereMachine extends Construct {
  readonly vm: VirtualMachine;

  constructor(
    scope: Construct,
    context: SynthContext,
    model: VsphereClusterModel,
    machine: MachineModel<VsphereMachineProviderSpec>,
    inventory: VsphereInventory,
    bootstrap?: { variable: TerraformVariable; endpointHost: string },
  ) {
    const logicalId = machineLogicalId(machine.name);
    super(scope, logicalId);
    const spec = machine.providerSpec;
    const ref = objectRef("Machine", machine.namespace, machine.name);
    const report = (path: string, message: string) =>
      context.problems.add(ref, `${SPEC_PATH}.${path}`, message);
    const datacenter = spec.datacenter ?? model.spec.datacenter ?? "";
    if (datacenter === "") report("datacenter", "required here or in the Cluster's providerSpec");
    if (spec.datastore === undefined) report("datastore", "required: the datastore the clone is placed on");

    const template = inventory.template(datacenter, spec.template);
    const firstDisk = template.disks.get(0);
    this.vm = named(
      new VirtualMachine(this, "vm", {
        name: context.literal(machine.name),
        annotation: context.literal(
          `clusterform.io/cluster=${model.namespace}/${model.name}\nclusterform.io/machine=${machine.namespace}/${machine.name}\nclusterform.io/role=${machine.role}`,
        ),
        resourcePoolId: inventory.resourcePool(datacenter, spec.resourcePool).id,
        datastoreId: inventory.datastore(datacenter, spec.datastore ?? "").id,
        folder: spec.folder === undefined ? undefined : context.literal(spec.folder),
        numCpus: spec.numCPUs ?? DEFAULT_NUM_CPUS,
        numCoresPerSocket: spec.numCoresPerSocket,
        memory: spec.memoryMiB ?? DEFAULT_MEMORY_MIB,
        guestId: template.guestId,
        scsiType: template.scsiType,
        firmware: template.firmware,
        networkInterface: spec.network.devices.map((device) => ({
          networkId: inventory.network(datacenter, device.networkName).id,
          adapterType: Token.asString(Fn.element(template.networkInterfaceTypes, 0)),
        })),
        disk: [
          {
            label: "disk0",
            size: spec.diskGiB ?? firstDisk.size,
            thinProvisioned: firstDisk.thinProvisioned,
          },
        ],
        clone: {
          templateUuid: template.id,
          customize: guestCustomization(context, machine.name, spec.network.devices, report),
        },
        // Ignored after creation: cloud-init clears guestinfo.userdata once
        // read, and new bootstrap data must never touch a running machine.
        ...(bootstrap === undefined
          ? {}
          : {
              extraConfig: guestinfoExtraConfig(
                context,
                { name: machine.name, hostName: guestHostName(machine.name) },
                bootstrap.variable,
                bootstrap.endpointHost,
              ),
              lifecycle: { ignoreChanges: ["extra_config"] },
            }),
      }),
      logicalId,
    );
  }
}
