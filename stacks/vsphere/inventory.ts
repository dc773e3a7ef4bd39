import { DataVsphereDatacenter } from "@cdktf/provider-vsphere/lib/data-vsphere-datacenter/index.js";
import { DataVsphereDatastore } from "@cdktf/provider-vsphere/lib/data-vsphere-datastore/index.js";
import { DataVsphereNetwork } from "@cdktf/provider-vsphere/lib/data-vsphere-network/index.js";
import { DataVsphereResourcePool } from "@cdktf/provider-vsphere/lib/data-vsphere-resource-pool/index.js";
import { DataVsphereVirtualMachine } from "@cdktf/provider-vsphere/lib/data-vsphere-virtual-machine/index.js";
import type { TerraformDataSource } from "cdktf";
import { Construct } from "constructs";
import { sha256 } from "../../src/util/hash.js";
import type { SynthContext } from "../context.js";
import { named } from "../elements.js";
import { slug } from "../names.js";

/**
 * The vSphere objects machines are placed with, looked up once per distinct
 * (kind, datacenter, name). Their names are content-derived (readable slug +
 * hash), so they stay the same whichever machines use them.
 */
export class VsphereInventory extends Construct {
  private readonly lookups = new Map<string, TerraformDataSource>();

  constructor(
    scope: Construct,
    private readonly context: SynthContext,
  ) {
    super(scope, "inventory");
  }

  datacenter(name: string): DataVsphereDatacenter {
    return this.lookup(
      "dc",
      "",
      name,
      (id) => new DataVsphereDatacenter(this, id, { name: this.context.literal(name) }),
    );
  }

  datastore(datacenter: string, name: string): DataVsphereDatastore {
    return this.lookup(
      "ds",
      datacenter,
      name,
      (id) => new DataVsphereDatastore(this, id, this.within(datacenter, name)),
    );
  }

  /** Without a name: the datacenter's default pool (standalone host or single cluster). */
  resourcePool(datacenter: string, name?: string): DataVsphereResourcePool {
    return this.lookup("pool", datacenter, name ?? "", (id) => {
      const config = { datacenterId: this.datacenter(datacenter).id };
      return new DataVsphereResourcePool(
        this,
        id,
        name === undefined ? config : this.within(datacenter, name),
      );
    });
  }

  network(datacenter: string, name: string): DataVsphereNetwork {
    return this.lookup(
      "net",
      datacenter,
      name,
      (id) => new DataVsphereNetwork(this, id, this.within(datacenter, name)),
    );
  }

  template(datacenter: string, name: string): DataVsphereVirtualMachine {
    return this.lookup(
      "tpl",
      datacenter,
      name,
      (id) => new DataVsphereVirtualMachine(this, id, this.within(datacenter, name)),
    );
  }

  private within(datacenter: string, name: string) {
    return { datacenterId: this.datacenter(datacenter).id, name: this.context.literal(name) };
  }

  private lookup<T extends TerraformDataSource>(
    kind: string,
    datacenter: string,
    name: string,
    create: (id: string) => T,
  ): T {
    const key = `${kind}\u0000${datacenter}\u0000${name}`;
    const existing = this.lookups.get(key);
    if (existing !== undefined) return existing as T;
    const hash = sha256(key).slice(0, 8);
    const id = `${kind}_${slug(name || "default")}_${hash}`;
    const created = named(create(id), id);
    this.lookups.set(key, created);
    return created;
  }
}
