/**
 * The controllers a real cluster runs beside its apiserver, which clients
 * rely on: garbage collection of dependents (background, foreground,
 * orphan), namespace termination, and removing a deleted CRD's objects.
 */
import { crdCleanupFinalizer, hasSpecFinalizers, type ObjectService } from "./object-service.js";
import type { ResourceType } from "./resource-type.js";
import type { KubeObject } from "./store.js";

interface Located {
  type: ResourceType;
  object: KubeObject;
}

export class BuiltInControllers {
  private scheduled = false;
  private stopped = false;

  constructor(private readonly service: ObjectService) {}

  /** Runs a pass soon; many commits in one tick coalesce into one pass. */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.runUntilSettled();
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private runUntilSettled(): void {
    for (let pass = 0; pass < 20; pass += 1) {
      if (!this.runPass()) return;
    }
    this.schedule();
  }

  /** One pass over all objects; returns whether anything changed. */
  runPass(): boolean {
    const all = this.allObjects();
    const byUid = new Map(all.map((entry) => [entry.object.metadata.uid ?? "", entry]));
    let changed = false;
    for (const entry of all) {
      if (entry.object.metadata.deletionTimestamp) changed = this.finalize(entry, all) || changed;
      else changed = this.collectIfOrphaned(entry, byUid) || changed;
    }
    return changed;
  }

  private allObjects(): Located[] {
    return this.service.registry
      .all()
      .flatMap((type) => this.service.list(type, undefined).map((object) => ({ type, object })));
  }

  private dependentsOf(owner: KubeObject, all: Located[]): Located[] {
    const uid = owner.metadata.uid;
    return all.filter((entry) =>
      (entry.object.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid),
    );
  }

  private finalize(entry: Located, all: Located[]): boolean {
    const { type, object } = entry;
    const finalizers = object.metadata.finalizers ?? [];
    if (finalizers.includes("orphan")) {
      for (const dependent of this.dependentsOf(object, all)) {
        const next = structuredClone(dependent.object);
        next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
          (ref) => ref.uid !== object.metadata.uid,
        );
        if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
        this.service.writeDirect(dependent.type, dependent.object, next);
      }
      this.service.removeFinalizer(type, object, "orphan");
      return true;
    }
    if (finalizers.includes("foregroundDeletion")) {
      const dependents = this.dependentsOf(object, all);
      for (const dependent of dependents) {
        if (!dependent.object.metadata.deletionTimestamp) this.deleteQuietly(dependent, "Foreground");
      }
      if (dependents.length === 0) {
        this.service.removeFinalizer(type, object, "foregroundDeletion");
        return true;
      }
      return dependents.some((d) => !d.object.metadata.deletionTimestamp);
    }
    if (type.builtIn && type.kind === "Namespace" && hasSpecFinalizers(type, object))
      return this.terminateNamespace(entry, all);
    if (
      type.builtIn &&
      type.kind === "CustomResourceDefinition" &&
      finalizers.includes(crdCleanupFinalizer)
    ) {
      return this.cleanUpCrd(entry);
    }
    return false;
  }

  private terminateNamespace({ type, object }: Located, all: Located[]): boolean {
    const name = object.metadata.name;
    const contents = all.filter((entry) => entry.type.namespaced && entry.object.metadata.namespace === name);
    for (const entry of contents)
      if (!entry.object.metadata.deletionTimestamp) this.deleteQuietly(entry, "Background");
    if (contents.length > 0) return contents.some((e) => !e.object.metadata.deletionTimestamp);
    const next = structuredClone(object);
    next.spec = { ...(next.spec as object), finalizers: [] };
    this.service.writeDirect(type, object, next);
    return true;
  }

  private cleanUpCrd({ type, object }: Located): boolean {
    const served = this.service.registry.byCrd(object.metadata.name ?? "");
    const remaining = served ? this.service.list(served, undefined) : [];
    for (const cr of remaining) {
      if (served && !cr.metadata.deletionTimestamp)
        this.deleteQuietly({ type: served, object: cr }, "Background");
    }
    if (remaining.length > 0) return remaining.some((cr) => !cr.metadata.deletionTimestamp);
    this.service.removeFinalizer(type, object, crdCleanupFinalizer);
    return true;
  }

  /** Background collection: a dependent whose owners are all gone is deleted. */
  private collectIfOrphaned({ type, object }: Located, byUid: Map<string, Located>): boolean {
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.length === 0) return false;
    const live = refs.filter((ref) => {
      const owner = byUid.get(ref.uid);
      if (!owner) return false;
      const ownerFinalizers = owner.object.metadata.finalizers ?? [];
      return !(owner.object.metadata.deletionTimestamp && ownerFinalizers.length === 0);
    });
    if (live.length > 0) return false;
    this.deleteQuietly({ type, object }, "Background");
    return true;
  }

  private deleteQuietly({ type, object }: Located, policy: "Background" | "Foreground"): void {
    try {
      this.service.delete(type, object.metadata.namespace, object.metadata.name ?? "", {
        propagationPolicy: policy,
      });
    } catch {
      // Already gone or changed under us; the next pass sees the new state.
    }
  }
}
